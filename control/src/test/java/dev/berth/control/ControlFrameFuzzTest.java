package dev.berth.control;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the control and handoff frames ({@link ControlMessage}: master and child, dispatcher and
 * worker) as a peer on a control or dispatch socket could send them; {@link Frames} holds the
 * invariant. Seeds: {@code ControlFrameFuzzTestInputs/}.
 */
class ControlFrameFuzzTest {

    @FuzzTest
    void anyPayloadIsAMessageWithoutNullsOrAControlException(byte[] payload) {
        Frames.check(payload);
    }
}
