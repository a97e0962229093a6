package dev.berth.posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The netlink framing shared by every netlink request berth makes: message headers, attributes,
 * and splitting a reply buffer into messages. Host byte order (little-endian on the platforms
 * berth runs on). Pure and stateless: no sockets, so the codecs are tested on bytes.
 *
 * <pre>
 * nlmsghdr (16):  u32 length (header included) | u16 type | u16 flags | u32 seq | u32 pid
 * payload, padded to 4 bytes; then the next message
 * rtattr / nlattr (4 + value, padded to 4): u16 length (header + value) | u16 type | value
 * NLMSG_ERROR payload: s32 error (0 = ack, else -errno) | the request's header
 * </pre>
 */
final class NetlinkMessages {

    static final int HEADER = 16;
    static final short NLMSG_ERROR = 2;
    static final short NLMSG_DONE = 3;
    static final short NLM_F_REQUEST = 0x1;
    static final short NLM_F_ACK = 0x4;
    static final short NLM_F_EXCL = 0x200;
    static final short NLM_F_CREATE = 0x400;
    static final short NLM_F_DUMP = 0x300;

    private NetlinkMessages() {
    }

    /** A message received: its type and flags, sequence number, and payload bytes. */
    record Message(short type, short flags, int seq, byte[] payload) {

        /** The payload in host order, positioned at 0. */
        ByteBuffer buffer() {
            return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        }

        /** For NLMSG_ERROR: 0 for an ack, else the negated errno. */
        int error() {
            return buffer().getInt(0);
        }
    }

    /** A buffer in host byte order for a message of {@code payload} bytes, positioned after the header. */
    static ByteBuffer start(int payload, short type, short flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(align(HEADER + payload)).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort(type).putShort(flags).putInt(seq).putInt(0);
        return b;
    }

    /** Writes the final length into the header and returns the bytes up to the position. */
    static byte[] finish(ByteBuffer b) {
        int length = b.position();
        b.putInt(0, length);
        byte[] out = new byte[length];
        b.get(0, out);
        return out;
    }

    /** Appends one attribute, padded to 4 bytes. */
    static void attribute(ByteBuffer b, short type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort(type).put(value);
        b.position(align(b.position()));
    }

    /** Bytes an attribute takes, padding included. */
    static int attributeSpace(int valueLength) {
        return align(4 + valueLength);
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /**
     * Splits a datagram into its messages.
     *
     * @throws IllegalArgumentException when a header's length is impossible
     */
    static List<Message> split(byte[] datagram, int length) {
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        List<Message> messages = new ArrayList<>();
        int at = 0;
        while (at + HEADER <= length) {
            int size = b.getInt(at);
            if (size < HEADER || at + size > length) {
                throw new IllegalArgumentException("netlink message of " + size + " bytes at " + at + " in " + length);
            }
            byte[] payload = new byte[size - HEADER];
            b.get(at + HEADER, payload);
            messages.add(new Message(b.getShort(at + 4), b.getShort(at + 6), b.getInt(at + 8), payload));
            at += align(size);
        }
        return messages;
    }

    /** The attributes from {@code offset} to the end of a payload, by type (the first of each type). */
    static Map<Integer, byte[]> attributes(byte[] payload, int offset) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> found = new LinkedHashMap<>();
        int at = offset;
        while (at + 4 <= payload.length) {
            int size = Short.toUnsignedInt(b.getShort(at));
            int type = Short.toUnsignedInt(b.getShort(at + 2)) & 0x3fff;
            if (size < 4 || at + size > payload.length) {
                break;
            }
            byte[] value = new byte[size - 4];
            b.get(at + 4, value);
            found.putIfAbsent(type, value);
            at += align(size);
        }
        return found;
    }
}
