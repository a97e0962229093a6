package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.Packet;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;

/**
 * The invariant of the frame fuzz target: a packet's payload (JSON or a dispatch-link frame)
 * decodes to a message or to a {@link ControlException}, nothing else; a decoded message has no null anywhere (records and
 * lists, recursively) and survives encoding and decoding unchanged.
 */
final class Frames {

    private Frames() {
    }

    static void check(byte[] payload) {
        ControlMessage message;
        try {
            message = ControlChannel.decode(new Packet(payload, new int[0]));
        } catch (ControlException e) {
            return;
        }
        noNulls(message, "ControlMessage");
        assertThat(ControlChannel.decode(new Packet(ControlChannel.encode(message), new int[0]))).isEqualTo(message);
    }

    private static void noNulls(Object value, String path) {
        assertThat(value).as(path).isNotNull();
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                noNulls(item, path + "[" + i++ + "]");
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    noNulls(component.getAccessor().invoke(record), path + "." + component.getName());
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
