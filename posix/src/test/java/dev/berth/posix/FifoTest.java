package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FifoTest {

    @TempDir
    Path dir;

    @Test
    void aPokeWakesAReaderPollingWithoutTimeoutAndDrainMakesItQuietAgain() throws Exception {
        Path path = dir.resolve("bell");
        int reader = Fifo.openReader(path);
        int writer = Fifo.openWriter(path);
        try {
            CompletableFuture<boolean[]> polling = CompletableFuture.supplyAsync(() -> Poll.readable(new int[] {reader}, -1));
            assertThat(Fifo.poke(writer)).isTrue();
            assertThat(polling.get(10, TimeUnit.SECONDS)).containsExactly(true);
            assertThat(Fifo.poke(writer)).isTrue();

            assertThat(Fifo.drain(reader)).isEqualTo(2);
            assertThat(Poll.readable(new int[] {reader}, 0)).containsExactly(false);
            assertThat(Fifo.drain(reader)).isZero();
        } finally {
            FileDescriptors.closeAll(writer, reader);
        }
    }

    @Test
    void aSecondReaderOpensTheSamePipeAndAWriterSeesWhenNobodyReads() {
        Path path = dir.resolve("bell");
        assertThat(Fifo.openWriter(path)).as("no pipe yet").isEqualTo(-1);
        int first = Fifo.openReader(path);
        int writer = Fifo.openWriter(path);
        FileDescriptors.close(first);
        assertThat(Fifo.poke(writer)).as("nobody reads").isFalse();
        int second = Fifo.openReader(path);
        try {
            assertThat(Files.exists(path)).isTrue();
            assertThat(Fifo.poke(writer)).as("the writer's descriptor reaches the new reader").isTrue();
            assertThat(Poll.readable(new int[] {second}, 0)).containsExactly(true);
        } finally {
            FileDescriptors.closeAll(writer, second);
        }
    }
}
