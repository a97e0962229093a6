package dev.berth.mailproxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.regex.Pattern;

/**
 * Fuzzes the IMAP proxy's pre-login reader and session ({@link ProxyFuzzing} holds the
 * invariants): every reply line is untagged, a continuation, or tagged with a valid tag and a
 * status. Seeds: {@code ImapProxyFuzzTestInputs/}.
 */
class ImapProxyFuzzTest {

    private static final Pattern LINE = Pattern.compile("\\* .*|\\+ ?.*|[!#$&'+,\\-./0-9:;<=>?@A-Z\\[\\]^_`a-z|}~]+ (OK|NO|BAD) .*");

    @FuzzTest
    void everyCommandGetsWellFormedLines(byte[] input) {
        ProxyFuzzing.run(Protocol.IMAP, input, "NO [AUTHENTICATIONFAILED] Authentication failed.",
                l -> LINE.matcher(l).matches());
    }
}
