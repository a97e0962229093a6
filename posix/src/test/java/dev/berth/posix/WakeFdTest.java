package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WakeFdTest {

    @Test
    void aPollWithoutTimeoutWakesWhenWokenAndClearMakesItQuietAgain() throws Exception {
        try (WakeFd wake = WakeFd.create()) {
            CompletableFuture<boolean[]> polling = CompletableFuture.supplyAsync(
                    () -> Poll.readable(new int[] {wake.fd()}, -1));
            wake.wake();
            assertThat(polling.get(10, TimeUnit.SECONDS)).containsExactly(true);

            wake.clear();
            assertThat(Poll.readable(new int[] {wake.fd()}, 0)).containsExactly(false);
        }
    }
}
