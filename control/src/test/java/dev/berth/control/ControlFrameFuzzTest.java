package dev.berth.control;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the control frames (master and child, {@link ControlMessage}) as a peer on the control
 * socket could send them; {@link Frames} holds the invariant. Seeds: {@code ControlFrameFuzzTestInputs/}.
 */
class ControlFrameFuzzTest {

    @FuzzTest
    void anyPayloadIsAMessageWithoutNullsOrAControlException(byte[] payload) {
        Frames.check(ControlMessage.class, payload);
    }
}
