package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 9: a power cut under SMTP delivery into Maildir. A real master and workers deliver
 * into a Maildir on an ext4 loop disk ({@link LoopDisk}) while clients send; then every berth
 * process is SIGSTOPped (nothing writes, nothing is flushed), the disk is copied as a power cut
 * would leave it, the processes are killed, and the copy is mounted. Holds: every message
 * acknowledged with 250 before the cut is in new/ exactly once and whole; no file in new/ or cur/
 * is a half message. The bytes of a control file written without fsync just before the cut must be
 * gone from the copy, which shows that the cut really dropped the page cache's unsynced writes.
 */
class PowerCutTest {

    static final String CONFIG = """
            master: {run-dir: run, log-dir: log}
            pools:
              mail: {workers: 2, threads: 2, jvm-options: %s}
            services:
              - name: mx
                kind: smtp
                pool: mail
                listen: ["127.0.0.1:0"]
                smtp: {hostname: mx.cut.test, deliver: maildir, maildir: mail, users: users.txt, domains: [example.test]}
            """.formatted(Configs.TEST_JVM);

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedMessageIsLostAndNoHalfMessageIsVisibleAfterAPowerCut() throws Exception {
        Assumptions.assumeTrue(dev.berth.it.Processes.isRoot(), "mounting a loop disk needs root (CI runs as root)");
        try (LoopDisk disk = LoopDisk.create(dir, 256)) {
            Path home = Files.createDirectories(disk.root().resolve("berth"));
            Files.writeString(home.resolve("users.txt"), "alice@example.test:{PLAIN}secret\n");
            SoakLoad.Tally tally = new SoakLoad.Tally();
            List<ProcessHandle> berthProcesses = new ArrayList<>();
            try (Berth berth = Berth.start(home, CONFIG)) {
                int smtp = berth.port("mx");
                ScheduledExecutorService clients = Executors.newScheduledThreadPool(4);
                for (int i = 0; i < 4; i++) {
                    clients.scheduleWithFixedDelay(() -> SoakLoad.smtp(smtp, tally), i, 1, TimeUnit.MILLISECONDS);
                }
                assertThat(dev.berth.testpeers.Await.until(java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(50),
                        () -> tally.acknowledged.size() >= 200)).as("messages delivered before the cut").isTrue();
                Files.writeString(disk.root().resolve("unsynced-control"), "written, never synced\n");
                berthProcesses.add(berth.master().toHandle());
                berthProcesses.addAll(berth.master().descendants().toList());
                berthProcesses.forEach(p -> Processes.signal(p.pid(), Processes.SIGSTOP));
                List<String> acknowledged = List.copyOf(tally.acknowledged);
                Path after = disk.cut(dir.resolve("after"));
                berthProcesses.forEach(p -> Processes.signal(p.pid(), Processes.SIGKILL));
                clients.shutdownNow();
                assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

                // its name may survive (another fsync commits the directory's journal), its bytes may not
                Path control = after.resolve("unsynced-control");
                assertThat(Files.exists(control) ? Files.readString(control) : "").as("a write without fsync, after the cut").isEmpty();
                SoakTest.Stored stored = SoakTest.stored(after.resolve("berth/mail/example.test/alice"));
                assertThat(stored.partial()).as("half messages in new/ or cur/").isEmpty();
                assertThat(acknowledged).as("acknowledged messages after the cut")
                        .allSatisfy(id -> assertThat(stored.count()).containsEntry(id, 1));
                System.out.printf("power cut: %d acknowledged before the cut, %d whole in new/ after it, %d in tmp/%n",
                        acknowledged.size(), stored.count().size(), tmpFiles(after.resolve("berth/mail/example.test/alice/tmp")));
            } finally {
                berthProcesses.forEach(p -> Processes.signal(p.pid(), Processes.SIGKILL));
            }
        }
    }

    private static long tmpFiles(Path tmp) throws java.io.IOException {
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (var files = Files.list(tmp)) {
            return files.count();
        }
    }
}
