package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.WorkerCount;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PoolSizerTest {

    private final AtomicLong now = new AtomicLong(50_000);
    private final PoolSizer sizer = new PoolSizer(new WorkerCount(2, 12, 2), now::get);

    private List<Integer> feed(int load, int seconds) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < seconds * 4; i++) {
            now.addAndGet(250);
            int size = sizer.target(load);
            if (i % 4 == 3) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    @Test
    void aBusyPoolGrowsByOneTwoFourPerSecondUpToItsMaximum() {
        assertThat(feed(900, 7)).containsExactly(2, 2, 3, 5, 9, 12, 12);
        assertThat(sizer.reason()).contains("growing from 9 to 12");
    }

    @Test
    void aShortBurstDoesNotGrowThePool() {
        feed(900, 1);
        feed(500, 1);
        assertThat(feed(900, 1)).containsExactly(2);
    }

    @Test
    void anIdlePoolShrinksOneWorkerPerSecondAfterTenSecondsDownToItsMinimum() {
        feed(900, 5);
        assertThat(sizer.target()).isEqualTo(9);
        List<Integer> sizes = feed(100, 20);
        assertThat(sizes.subList(0, 9)).containsOnly(9);
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(2);
        assertThat(sizer.reason()).contains("shrinking from 3 to 2");
    }

    @Test
    void aFixedPoolNeverChanges() {
        PoolSizer fixed = new PoolSizer(new WorkerCount(3, 3, 3), now::get);
        for (int i = 0; i < 100; i++) {
            now.addAndGet(250);
            assertThat(fixed.target(i % 2 == 0 ? 1000 : 0)).isEqualTo(3);
        }
    }
}
