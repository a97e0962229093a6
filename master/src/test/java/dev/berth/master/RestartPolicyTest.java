package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RestartPolicy policy = new RestartPolicy(now::get);

    @Test
    void aFreshPoolMayStartAtOnce() {
        assertThat(policy.mayStart()).isTrue();
        assertThat(policy.waitMillis()).isZero();
        assertThat(policy.throttled()).isFalse();
    }

    @Test
    void aFirstCrashRestartsAtOnceThenDelaysDoubleFromOneHundredMillisecondsToTenSeconds() {
        long[] delays = new long[11];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = policy.crashed();
            now.addAndGet(delays[i]);
        }
        assertThat(delays).containsExactly(0, 100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000);
    }

    @Test
    void aReplacementWaitsForItsDelay() {
        policy.crashed();
        assertThat(policy.mayStart()).as("after a first crash").isTrue();
        policy.crashed();
        assertThat(policy.mayStart()).isFalse();
        assertThat(policy.waitMillis()).isEqualTo(100);
        now.addAndGet(99);
        assertThat(policy.mayStart()).isFalse();
        now.addAndGet(1);
        assertThat(policy.mayStart()).isTrue();
    }

    @Test
    void aCalmPeriodStartsTheBackOffOver() {
        policy.crashed();
        policy.crashed();
        now.addAndGet(RestartPolicy.CALM_MS + 1);
        assertThat(policy.crashed()).isZero();
        assertThat(policy.crashed()).isEqualTo(100);
    }

    @Test
    void fiveCrashesInThirtySecondsThrottleThePoolWithoutDisablingIt() {
        for (int i = 0; i < 5; i++) {
            now.addAndGet(policy.crashed());
        }
        assertThat(policy.throttled()).isTrue();
        now.addAndGet(RestartPolicy.MAX_DELAY_MS);
        assertThat(policy.mayStart()).isTrue();
    }

    @Test
    void throttlingEndsWhenTheCrashesAgeOutOfTheWindow() {
        for (int i = 0; i < 5; i++) {
            policy.crashed();
        }
        assertThat(policy.throttled()).isTrue();
        now.addAndGet(RestartPolicy.LOOP_WINDOW_MS + 1);
        assertThat(policy.throttled()).isFalse();
        assertThat(policy.total()).isEqualTo(5);
    }

    @Test
    void aPoolLeftWithNoReadyWorkerReplacesAWorkerThatHadBeenReadyAtOnceButStillCountsTheDeath() {
        for (int i = 0; i < 4; i++) {
            now.addAndGet(policy.crashed());
        }
        assertThat(policy.crashed(true)).isZero();
        assertThat(policy.mayStart()).isTrue();
        assertThat(policy.throttled()).as("five deaths within 30 s").isTrue();
        assertThat(policy.crashed()).as("the back-off goes on from where it was").isEqualTo(1600);
    }
}
