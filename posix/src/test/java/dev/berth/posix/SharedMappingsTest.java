package dev.berth.posix;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedMappingsTest {

    @TempDir
    Path dir;

    @Test
    void aDevFdPathOrAFileNamedInTheInheritedEntriesIsMappedThroughItsDescriptor() {
        Path clients = dir.resolve("run/clients");
        String entries = dir.resolve("run/scoreboard") + "=5" + File.pathSeparator + clients + "=4";

        assertThat(SharedMappings.inherited(Path.of("/dev/fd/3"), "")).hasValue(3);
        assertThat(SharedMappings.inherited(clients, entries)).hasValue(4);
        assertThat(SharedMappings.inherited(dir.resolve("run/../run/clients"), entries)).hasValue(4);
        assertThat(SharedMappings.inherited(dir.resolve("run/other"), entries)).isEmpty();
        assertThat(SharedMappings.inherited(dir.resolve("run/other"), "")).isEmpty();
    }

    @Test
    void aFileNotInheritedIsOpenedAndMappedSharedAndWritable() throws Exception {
        Path file = dir.resolve("table");
        Files.write(file, new byte[4096]);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = SharedMappings.map(file, arena);
            assertThat(memory.byteSize()).isEqualTo(4096);
            memory.set(JAVA_LONG, 8, 0x0102030405060708L);
        }
        assertThat(Files.readAllBytes(file)[8]).isEqualTo((byte) 8);
    }
}
