package dev.berth.testpeers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client (swaks, curl, fetchmail, python3, openssl, chown) to its end with a bounded
 * wait, for tests talking to their peers. Each call owns the process it starts and kills it if it
 * outlives the timeout. Any thread; every call blocks.
 */
public final class Commands {

    /** How long {@link #output(List)} lets a command run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Commands() {
    }

    /**
     * The exit code and the merged stdout and stderr of a finished command.
     *
     * @param exit the exit code
     * @param output stdout and stderr, decoded as UTF-8
     */
    public record Result(int exit, String output) {

        /** The output if the command exited 0; otherwise a {@link PeerException} with both. */
        public String orThrow() {
            if (exit != 0) {
                throw new PeerException("exited " + exit + ": " + output);
            }
            return output;
        }
    }

    /**
     * Runs {@code command} in {@code dir}, feeding {@code stdin}, for at most {@code timeout}.
     * Blocks.
     *
     * @throws PeerException when it cannot start or outlives the timeout (it is killed; the
     *     message carries its output so far)
     */
    public static Result run(Path dir, String stdin, Duration timeout, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("berth-command", ".out");
            Process p = new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException exitedEarly) {
                // the command did not read all its input; its exit code and output say why
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new PeerException(command + " did not finish within " + timeout + ": " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
        }
    }

    /**
     * Runs {@code command} in the working directory with no input for at most {@link #TIMEOUT}
     * and returns its output. Blocks.
     *
     * @throws PeerException when it exits non-zero or outlives the timeout (with its output)
     */
    public static String output(List<String> command) {
        Result result = run(Path.of(""), "", TIMEOUT, command);
        if (result.exit() != 0) {
            throw new PeerException(command + " exited " + result.exit() + ": " + result.output());
        }
        return result.output();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
