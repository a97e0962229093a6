package dev.berth.control;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary frames of the dispatch link's hot path (docs/adr/0035): {@link ControlMessage.Handoff},
 * {@link ControlMessage.Ack}, {@link ControlMessage.Credit} and {@link ControlMessage.Revoke}, one
 * per packet, instead of JSON. Every other message, the dispatch link's Hello included, stays JSON;
 * a JSON text starts with {@code '{'}, a frame with {@link #MAGIC}, so one receive tells them apart.
 *
 * <pre>
 * frame   : magic u8 0xB5 | version u8 (1) | type u8 | body            (big-endian)
 * HANDOFF : type 1 | batch i64 | count u8 (1..253) | names u8 (1..count)
 *           | names x (length u8 (1..255), UTF-8) | count x name index u8
 * ACK     : type 2 | batch i64 (every batch up to it; 0: none) | credit i32 (>= 0)
 * CREDIT  : type 3 | credit i32 (>= 1)
 * REVOKE  : type 4
 * </pre>
 *
 * <p>A frame is exactly as long as its body says. Version policy: a change that an older reader
 * would misread gets a new version; a reader refuses every version but its own, by name, and the
 * link ends (the dispatcher puts back what was not acked). Thread-safe: no state.
 */
final class LinkFrames {

    /** The first byte of every frame; never the first byte of a JSON text. */
    static final byte MAGIC = (byte) 0xB5;
    /** The frame version this code writes and reads. */
    static final byte VERSION = 1;
    private static final byte HANDOFF = 1;
    private static final byte ACK = 2;
    private static final byte CREDIT = 3;
    private static final byte REVOKE = 4;
    private static final int HEADER = 3;
    private static final int MAX_CONNECTIONS = 253;

    private LinkFrames() {
    }

    /** Whether {@code message} travels as a frame rather than as JSON. */
    static boolean carries(ControlMessage message) {
        return message instanceof ControlMessage.Handoff || message instanceof ControlMessage.Ack
                || message instanceof ControlMessage.Credit || message instanceof ControlMessage.Revoke;
    }

    /** Whether {@code payload} is a frame (it may still be a bad one). */
    static boolean isFrame(byte[] payload) {
        return payload.length > 0 && payload[0] == MAGIC;
    }

    /**
     * Encodes a dispatch-link message.
     *
     * @throws IllegalArgumentException for a message that is not one, a handoff of more than 253
     *     connections, or a service name that is empty or longer than 255 UTF-8 bytes
     */
    static byte[] encode(ControlMessage message) {
        return switch (message) {
            case ControlMessage.Handoff h -> handoff(h);
            case ControlMessage.Ack a -> header(ACK, 12).putLong(a.batch()).putInt(a.credit()).array();
            case ControlMessage.Credit c -> header(CREDIT, 4).putInt(c.connections()).array();
            case ControlMessage.Revoke r -> header(REVOKE, 0).array();
            default -> throw new IllegalArgumentException("not a dispatch-link frame: " + message);
        };
    }

    private static ByteBuffer header(byte type, int body) {
        return ByteBuffer.allocate(HEADER + body).put(MAGIC).put(VERSION).put(type);
    }

    private static byte[] handoff(ControlMessage.Handoff handoff) {
        List<String> services = handoff.services();
        if (services.size() > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("a handoff carries at most " + MAX_CONNECTIONS + " connections: "
                    + services.size());
        }
        List<String> names = services.stream().distinct().toList();
        List<byte[]> encoded = names.stream().map(LinkFrames::name).toList();
        int body = 8 + 2 + encoded.stream().mapToInt(b -> 1 + b.length).sum() + services.size();
        ByteBuffer frame = header(HANDOFF, body).putLong(handoff.batch())
                .put((byte) services.size()).put((byte) names.size());
        encoded.forEach(b -> frame.put((byte) b.length).put(b));
        services.forEach(s -> frame.put((byte) names.indexOf(s)));
        return frame.array();
    }

    private static byte[] name(String service) {
        byte[] bytes = service.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > 255) {
            throw new IllegalArgumentException("a service name must be 1..255 UTF-8 bytes: '" + service + "'");
        }
        return bytes;
    }

    /**
     * Decodes a frame.
     *
     * @throws ControlException naming what is wrong, for a frame that is short, long, of another
     *     version or type, or whose fields are out of range
     */
    static ControlMessage decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            if (in.get() != MAGIC) {
                throw bad("not a dispatch-link frame");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw bad("dispatch-link frame version " + Byte.toUnsignedInt(version) + "; this side speaks "
                        + VERSION + " (a worker and a dispatcher of different berth versions?)");
            }
            byte type = in.get();
            ControlMessage message = switch (type) {
                case HANDOFF -> handoff(in);
                case ACK -> ack(in.getLong(), in.getInt());
                case CREDIT -> credit(in.getInt());
                case REVOKE -> new ControlMessage.Revoke();
                default -> throw bad("unknown dispatch-link frame type " + type);
            };
            if (in.hasRemaining()) {
                throw bad(in.remaining() + " bytes after the end of the frame");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw bad("frame cut short at " + payload.length + " bytes");
        }
    }

    private static ControlMessage.Handoff handoff(ByteBuffer in) {
        long batch = in.getLong();
        int count = Byte.toUnsignedInt(in.get());
        int distinct = Byte.toUnsignedInt(in.get());
        if (count < 1 || count > MAX_CONNECTIONS || distinct < 1 || distinct > count) {
            throw bad("handoff of " + count + " connections with " + distinct + " service names");
        }
        List<String> names = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            byte[] name = new byte[Byte.toUnsignedInt(in.get())];
            if (name.length == 0) {
                throw bad("empty service name");
            }
            in.get(name);
            names.add(utf8(name));
        }
        List<String> services = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = Byte.toUnsignedInt(in.get());
            if (index >= distinct) {
                throw bad("service index " + index + " of " + distinct + " names");
            }
            services.add(names.get(index));
        }
        return new ControlMessage.Handoff(batch, services);
    }

    private static ControlMessage.Ack ack(long batch, int credit) {
        if (batch < 0 || credit < 0) {
            throw bad("ack of batch " + batch + " with credit " + credit);
        }
        return new ControlMessage.Ack(batch, credit);
    }

    private static ControlMessage.Credit credit(int credit) {
        if (credit < 1) {
            throw bad("credit " + credit);
        }
        return new ControlMessage.Credit(credit);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad("service name is not UTF-8");
        }
    }

    private static ControlException bad(String why) {
        return new ControlException("malformed dispatch-link frame: " + why);
    }
}
