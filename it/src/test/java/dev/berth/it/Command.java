package dev.berth.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client (swaks, smtp-source, curl, fetchmail, python3) to completion with a bound on
 * its run time, as an operator's tool would run.
 *
 * @param status the exit status
 * @param output standard output and error, interleaved
 */
record Command(int status, String output) {

    /** Runs {@code argv} in {@code dir} with the extra environment, stdin from {@code input} (may be empty). */
    static Command run(Path dir, Map<String, String> env, byte[] input, List<String> argv) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                return ("(output lost: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        try (var stdin = process.getOutputStream()) {
            stdin.write(input);
        } catch (IOException closedEarly) {
            // the tool did not read its input: its status and output say why
        }
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within 120 s");
            }
            return new Command(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Command run(Path dir, String... argv) throws IOException {
        return run(dir, Map.of(), new byte[0], List.of(argv));
    }

    /** Runs a Python 3 program given as text, with arguments. */
    static Command python(Path dir, String program, String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("python3", "-c", program));
        argv.addAll(List.of(args));
        return run(dir, Map.of(), new byte[0], argv);
    }

    /** A self-signed certificate and key as cert.pem and key.pem in {@code dir}. */
    static void selfSignedCertificate(Path dir) throws IOException {
        Command made = run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost");
        if (made.status() != 0) {
            throw new AssertionError("openssl: " + made.output());
        }
    }
}
