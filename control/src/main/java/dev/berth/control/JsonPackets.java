package dev.berth.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.Packet;
import java.io.IOException;

/**
 * Encodes messages of one sealed type as JSON packet payloads and decodes them back. Thread-safe
 * (Jackson's mapper is); shared by {@link ControlChannel} and {@link DispatchChannel}.
 *
 * @param <T> the message type, a sealed interface with Jackson type information
 */
final class JsonPackets<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Class<T> type;

    JsonPackets(Class<T> type) {
        this.type = type;
    }

    byte[] encode(T message) {
        try {
            return JSON.writerFor(type).writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /**
     * Decodes a packet's payload.
     *
     * @throws ControlException when it is not a message of the type; the packet's descriptors are
     *     closed then
     */
    T decode(Packet packet) {
        try {
            return JSON.readValue(packet.payload(), type);
        } catch (IOException e) {
            FileDescriptors.closeAll(packet.fds());
            throw new ControlException("malformed " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
