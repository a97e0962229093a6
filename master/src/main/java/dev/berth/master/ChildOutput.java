package dev.berth.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Copies what a child prints (its stdout and stderr, merged into one pipe) into the master's log,
 * line by line, on one platform thread per child (a small stack) until the child closes the pipe.
 * Children write into a pipe rather than the master's log file so that a rotated log (SIGUSR1)
 * takes their lines too, and so that JSON logs can name the child of every line.
 *
 * <p>Not a virtual thread: a read from a pipe blocks its carrier, and the virtual-thread scheduler
 * only makes up for that with a spare carrier that retires after its keep-alive; with every
 * carrier (one per core) blocked in a child's pipe, an idle master then ran no virtual thread at
 * all, and the command line ({@link CliServer}) stopped answering after about a minute without a
 * request (bench/hostcost.py's idle measure found it).
 */
final class ChildOutput {

    private static final long STACK_BYTES = 256 * 1024;

    private ChildOutput() {
    }

    /**
     * Starts copying {@code process}'s output, attributed to {@code child} as it is when each line
     * comes (a spare becomes a worker with an id and a generation when it is promoted).
     */
    static void copy(Process process, Supplier<MasterEvent.Child> child) {
        Thread.ofPlatform().daemon().name("output-" + process.pid()).stackSize(STACK_BYTES).start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    LogLines.child(child.get(), line);
                }
            } catch (IOException e) {
                // the pipe broke: the child is gone, and reaping will say so
            }
        });
    }
}
