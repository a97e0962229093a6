package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HashAdmissionTest {

    private static final String ARGON2_32M = "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$20d8VNbpHqeYXTIiLeDM9A$GWrCFz+6xgtRz/bojTnYXM/qMDInVOfZrKq5HNYHhSE";

    @Test
    void aCheckThatCanNeverFitIsBusyAtOnce() {
        HashAdmission admission = new HashAdmission(1 << 20, 2, 10, Duration.ofSeconds(30));
        assertThat(admission.admit(2 << 20)).isEmpty();
        assertThat(admission.fits(1 << 20)).isTrue();
    }

    @Test
    void checksPastTheBudgetWaitTheirTurnOrTimeOut() throws Exception {
        HashAdmission admission = new HashAdmission(100 << 10, 4, 10, Duration.ofMillis(50));
        HashAdmission.Permit first = admission.admit(80 << 10).orElseThrow();
        assertThat(admission.admit(80 << 10)).as("no room within the timeout").isEmpty();
        assertThat(admission.admit(10 << 10)).as("room for a small one").isPresent().get().satisfies(HashAdmission.Permit::close);
        first.close();
        first.close();
        assertThat(admission.admit(80 << 10)).isPresent();
    }

    @Test
    void pastTheQueueLimitACheckIsBusyWithoutWaiting() throws Exception {
        HashAdmission admission = new HashAdmission(100 << 10, 4, 1, Duration.ofSeconds(30));
        HashAdmission.Permit held = admission.admit(100 << 10).orElseThrow();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Optional<HashAdmission.Permit>> queued = CompletableFuture.supplyAsync(() -> admission.admit(100 << 10), waiter);
            Await.require("one check waiting", Duration.ofSeconds(10), () -> admission.waiting() == 1);
            long start = System.nanoTime();
            assertThat(admission.admit(1024)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            held.close();
            assertThat(queued.get(10, TimeUnit.SECONDS)).isPresent();
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void concurrentWrongArgon2LoginsRunOneAtATimeAndTheRightOneStillGetsIn() throws Exception {
        long oneCheck = PasswordHash.parse(ARGON2_32M).memory();
        HashAdmission admission = new HashAdmission(oneCheck + oneCheck / 2, 4, 64, Duration.ofSeconds(60));
        Users users = PasswdFileUsers.parse(Path.of("users"), List.of("alice@x.test:" + ARGON2_32M), admission);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<CompletableFuture<Authentication>> wrong = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> users.authenticate("alice@x.test", "guess" + i), clients))
                    .toList();
            Authentication right = CompletableFuture.supplyAsync(() -> users.authenticate("alice@x.test", "secret"), clients)
                    .get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Authentication> guess : wrong) {
                assertThat(guess.get(60, TimeUnit.SECONDS)).isEqualTo(new Authentication.Refused());
                refused.incrementAndGet();
            }
            assertThat(right).isEqualTo(new Authentication.Accepted(new MailUser("alice", "x.test")));
            assertThat(refused).hasValue(4);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aUserWhoseHashCanNeverBeCheckedIsBusyNotAnOutOfMemoryError() {
        HashAdmission small = new HashAdmission(1 << 20, 2, 10, Duration.ofSeconds(1));
        Users users = PasswdFileUsers.parse(Path.of("users"), List.of("alice@x.test:" + ARGON2_32M), small);
        assertThat(users.authenticate("alice@x.test", "secret")).isEqualTo(new Authentication.Busy());
    }
}
