package dev.berth.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Copies what a child prints (its stdout and stderr, merged into one pipe) into the master's log,
 * line by line, on one virtual thread per child until the child closes the pipe. Children write
 * into a pipe rather than the master's log file so that a rotated log (SIGUSR1) takes their lines
 * too, and so that JSON logs can name the child of every line.
 */
final class ChildOutput {

    private ChildOutput() {
    }

    /** Starts copying {@code process}'s output, attributed to {@code child}. */
    static void copy(Process process, MasterEvent.Child child) {
        Thread.ofVirtual().name("output-" + child.pid()).start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    LogLines.child(child, line);
                }
            } catch (IOException e) {
                // the pipe broke: the child is gone, and reaping will say so
            }
        });
    }
}
