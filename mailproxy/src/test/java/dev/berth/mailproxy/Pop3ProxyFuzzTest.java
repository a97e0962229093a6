package dev.berth.mailproxy;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the POP3 proxy's pre-login session ({@link ProxyFuzzing} holds the invariants): every
 * reply line is a status line of at most 512 octets, a continuation, or a line of a multi-line
 * CAPA answer. Seeds: {@code Pop3ProxyFuzzTestInputs/}.
 */
class Pop3ProxyFuzzTest {

    @FuzzTest
    void everyCommandGetsWellFormedLines(byte[] input) {
        ProxyFuzzing.run(Protocol.POP3, input, "-ERR [AUTH] Authentication failed.",
                l -> l.length() + 2 <= 512 && !l.isEmpty());
    }
}
