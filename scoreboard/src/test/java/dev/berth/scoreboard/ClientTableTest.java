package dev.berth.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTableTest {

    private static final byte[] CLIENT = {(byte) 192, 0, 2, 7};

    @TempDir
    Path dir;

    @Test
    void whatOneMappingCountsAnotherSees() {
        Path file = dir.resolve("clients");
        long key = ClientTable.key("smtp-auth", "mx", CLIENT);
        try (ClientTable master = ClientTable.create(file, 64);
             ClientTable one = ClientTable.open(file);
             ClientTable two = ClientTable.open(file)) {
            assertThat(one.add(key, 1000, 600)).isEqualTo(1);
            assertThat(two.add(key, 1001, 600)).isEqualTo(2);
            assertThat(master.count(key, 1002, 600)).isEqualTo(2);
            assertThat(one.count(ClientTable.key("smtp-auth", "other", CLIENT), 1002, 600)).isZero();
        }
    }

    @Test
    void aCountEndsWithItsWindowAndTheNextEventStartsANewOne() {
        try (ClientTable table = ClientTable.inMemory(64)) {
            long key = ClientTable.key("smtp-auth", "mx", CLIENT);
            table.add(key, 1000, 600);
            table.add(key, 1599, 600);
            assertThat(table.count(key, 1599, 600)).isEqualTo(2);
            assertThat(table.count(key, 1600, 600)).isZero();
            assertThat(table.add(key, 1600, 600)).isEqualTo(1);
        }
    }

    @Test
    void aFullRunOfEntriesForgetsTheOldestWindow() {
        try (ClientTable table = ClientTable.inMemory(ClientTableDescriptor.PROBES)) {
            List<Long> keys = new ArrayList<>();
            for (int i = 0; i < ClientTableDescriptor.PROBES; i++) {
                long key = ClientTable.key("k", "s", new byte[] {(byte) i});
                keys.add(key);
                table.add(key, 100 + i, 600);
            }
            long late = ClientTable.key("k", "s", new byte[] {(byte) 200});
            assertThat(table.add(late, 200, 600)).isEqualTo(1);
            assertThat(table.count(keys.getFirst(), 200, 600)).as("the oldest window, forgotten").isZero();
            assertThat(table.count(keys.getLast(), 200, 600)).isEqualTo(1);
            assertThat(table.count(late, 200, 600)).isEqualTo(1);
        }
    }

    @Test
    void concurrentWritersLoseNoEvent() throws Exception {
        Path file = dir.resolve("clients");
        long key = ClientTable.key("smtp-auth", "mx", CLIENT);
        try (ClientTable master = ClientTable.create(file, 64)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (ClientTable mine = ClientTable.open(file)) {
                        for (int i = 0; i < 10_000; i++) {
                            mine.add(key, 1000, 600);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            assertThat(master.count(key, 1000, 600)).isEqualTo(40_000);
        }
    }

    @Test
    void aFileThatIsNoClientTableIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("clients"), new byte[128]);
        assertThatThrownBy(() -> ClientTable.open(file)).isInstanceOf(IllegalStateException.class).hasMessageContaining("client table");
        assertThatThrownBy(() -> ClientTable.inMemory(48)).isInstanceOf(IllegalArgumentException.class);
    }
}
