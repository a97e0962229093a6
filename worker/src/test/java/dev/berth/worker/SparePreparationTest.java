package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A spare's preparation ({@link WorkerRole#prepare}) leaves nothing running and nothing open. */
class SparePreparationTest {

    @Test
    void preparingLeavesNoThreadAndNoDescriptor() throws IOException, InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<String> fds = openDescriptors();

        new WorkerRole().prepare();
        // Netty's own executor for termination listeners ends itself after a second of quiet
        assertThat(GlobalEventExecutor.INSTANCE.awaitInactivity(10, TimeUnit.SECONDS)).isTrue();

        assertThat(Thread.getAllStackTraces().keySet()).as("threads alive after preparing")
                .allMatch(t -> before.contains(t) || !t.isAlive());
        assertThat(openDescriptors()).as("descriptors open after preparing").containsExactlyInAnyOrderElementsOf(fds);
    }

    /**
     * What the process's descriptors point at, but what the JVM opens once and keeps: the class
     * path's jars (a worker runs from one jar, open from its start) and the JDK's random sources
     * (NativePRNG, which Netty's start seeds from).
     */
    private static List<String> openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(SparePreparationTest::target).filter(t -> !t.endsWith(".jar") && !t.matches("/dev/u?random")).toList();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "(closed while listed)";
        }
    }
}
