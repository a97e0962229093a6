package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildOutputTest {

    /**
     * A read from a child's pipe blocks its thread for the child's whole life: on a virtual thread
     * it held a carrier, and once every carrier was held (as many children as cores) the master
     * ran no virtual thread after the scheduler's spare retired, so the command line stopped
     * answering after a minute of quiet. The copier must be a platform thread of its own.
     */
    @Test
    void aChildsOutputIsCopiedByAPlatformThreadThatEndsWithThePipe() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "echo up; exec sleep 60").redirectErrorStream(true).start();
        String name = "output-" + child.pid();
        try {
            ChildOutput.copy(child, () -> new MasterEvent.Child("web", "worker", 1, child.pid(), 1));
            Await.require("a platform thread " + name, Duration.ofSeconds(10), () -> Thread.getAllStackTraces()
                    .keySet().stream().anyMatch(t -> t.getName().equals(name) && !t.isVirtual() && t.isDaemon()));
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        Await.require("the copier gone with the pipe", Duration.ofSeconds(10), () -> Thread.getAllStackTraces()
                .keySet().stream().noneMatch(t -> t.getName().equals(name)));
    }
}
