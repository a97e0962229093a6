package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    private final AtomicLong now = new AtomicLong(0);
    private final RefusalLog log = new RefusalLog(now::get);
    private final Verdict.Refused noOwner = new Verdict.Refused(Verdict.Cause.NO_OWNER, "");
    private final InetSocketAddress local = new InetSocketAddress("10.77.0.9", 25);
    private final InetSocketAddress peer = new InetSocketAddress("192.0.2.1", 40000);

    @Test
    void theFirstRefusalIsLoggedInFullWhateverTheClockSays() {
        assertThat(log.refused("mx", noOwner, local, peer))
                .isEqualTo("service mx: refused /192.0.2.1:40000 -> /10.77.0.9:25 (no-owner)");
    }

    @Test
    void refusalsWithinASecondAreCountedAndReportedWithTheNextLine() {
        log.refused("mx", noOwner, local, peer);
        now.set(500);
        assertThat(log.refused("mx", noOwner, local, peer)).isNull();
        assertThat(log.refused("mx", noOwner, local, peer)).isNull();
        assertThat(log.refused("pop3", noOwner, local, peer)).as("another service has its own second").isNotNull();
        now.set(1_000);
        assertThat(log.refused("mx", noOwner, local, peer)).endsWith("(no-owner); 2 more refused since the last line");
    }
}
