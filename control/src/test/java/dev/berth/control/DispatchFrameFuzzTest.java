package dev.berth.control;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the handoff frames (dispatcher and worker, {@link DispatchMessage}) as a peer on the
 * dispatch socket could send them; {@link Frames} holds the invariant. Seeds:
 * {@code DispatchFrameFuzzTestInputs/}.
 */
class DispatchFrameFuzzTest {

    @FuzzTest
    void anyPayloadIsAMessageWithoutNullsOrAControlException(byte[] payload) {
        Frames.check(DispatchMessage.class, payload);
    }
}
