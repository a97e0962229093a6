package dev.berth.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.Packet;
import java.io.IOException;

/**
 * Encodes {@link ControlMessage}s as JSON packet payloads and decodes them back. Thread-safe
 * (Jackson's readers and writers are).
 */
final class JsonPackets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectWriter writer = JSON.writerFor(ControlMessage.class);
    private final ObjectReader reader = JSON.readerFor(ControlMessage.class);

    byte[] encode(ControlMessage message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /**
     * Decodes a packet's payload.
     *
     * @throws ControlException when it is not a control message; the packet's descriptors are
     *     closed then
     */
    ControlMessage decode(Packet packet) {
        try {
            return reader.readValue(packet.payload());
        } catch (IOException e) {
            FileDescriptors.closeAll(packet.fds());
            throw new ControlException("malformed control message: " + e.getMessage(), e);
        }
    }
}
