package dev.berth.mailproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Dovecot (POP3 + IMAP, passwd-file users, Maildir) started from
 * {@code peers/dovecot-backend.conf} in a scratch directory, on free loopback ports, and stopped
 * by the pid it was started with. Users: {@code alice}, {@code bob@example.org} and {@code carol}, password
 * {@code secret}; carol has one big message. Alice has three messages: a plain one, one with lines starting with '.', and one
 * with EICAR in a base64 attachment.
 */
final class TestDovecot implements AutoCloseable {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String PLAIN = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: hello\r\n"
            + "Message-ID: <1@example.org>\r\n\r\nhello alice\r\nsecond line\r\n";
    static final String DOTS = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: dots\r\n"
            + "Message-ID: <2@example.org>\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n";
    static final String VIRUS = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: eicar\r\n"
            + "Message-ID: <3@example.org>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
            + "--b1\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\n"
            + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"eicar.com\"\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(EICAR.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
            + "--b1--\r\n";

    final Path dir;
    final int pop3Port;
    final int imapPort;
    final int pop3sPort;
    private final Path conf;
    private final Process process;

    private TestDovecot(Path dir, int pop3Port, int imapPort, int pop3sPort, Path conf, Process process) {
        this.dir = dir;
        this.pop3Port = pop3Port;
        this.imapPort = imapPort;
        this.pop3sPort = pop3sPort;
        this.conf = conf;
        this.process = process;
    }

    /** Starts Dovecot under {@code base} and waits (bounded) until both ports accept. */
    static TestDovecot start(Path base) throws IOException, InterruptedException {
        Path p = base.resolve("peer");
        Path d = p.resolve("dovecot");
        for (String sub : List.of("run", "state", "log", "mail/alice/new", "mail/alice/cur", "mail/alice/tmp",
                "mail/bob@example.org/new", "mail/bob@example.org/cur", "mail/bob@example.org/tmp",
                "mail/carol/new", "mail/carol/cur", "mail/carol/tmp")) {
            Files.createDirectories(d.resolve(sub));
        }
        for (Path open = p; !open.equals(base.getParent()); open = open.getParent()) {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        write(d.resolve("mail/alice/cur/1000000001.M1P1.test:2,"), PLAIN);
        write(d.resolve("mail/alice/cur/1000000002.M2P1.test:2,"), DOTS);
        write(d.resolve("mail/alice/cur/1000000003.M3P1.test:2,"), VIRUS);
        write(d.resolve("mail/bob@example.org/cur/1000000004.M4P1.test:2,"), PLAIN.replace("alice", "bob"));
        write(d.resolve("mail/carol/cur/1000000005.M5P1.test:2,"), big());
        write(d.resolve("users"), "alice:{PLAIN}secret\nbob@example.org:{PLAIN}secret\ncarol:{PLAIN}secret\n");
        run(List.of("chown", "-R", "dovecot:dovecot", d.resolve("mail").toString()));
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-keyout", d.resolve("key.pem").toString(), "-out", d.resolve("cert.pem").toString()));
        int pop3 = freePort();
        int imap = freePort();
        int pop3s = freePort();
        String recipe = Files.readString(recipe());
        String text = recipe.replace("@P@", p.toString())
                .replace("port = 11110", "port = " + pop3)
                .replace("port = 11143", "port = " + imap)
                .replace("inet_listener pop3s {\n    port = 0", "inet_listener pop3s {\n    port = " + pop3s) + "\nauth_failure_delay = 0\n";
        Path conf = d.resolve("dovecot.conf");
        write(conf, text);
        Process process = new ProcessBuilder("/usr/sbin/dovecot", "-c", conf.toString(), "-F")
                .redirectErrorStream(true).redirectOutput(d.resolve("log/stdout.log").toFile()).start();
        TestDovecot dovecot = new TestDovecot(p, pop3, imap, pop3s, conf, process);
        try {
            awaitPort(pop3, process);
            awaitPort(imap, process);
            awaitPort(pop3s, process);
        } catch (IOException | RuntimeException e) {
            dovecot.close();
            throw new IOException(e.getMessage() + "; log: " + dovecot.log(), e);
        }
        return dovecot;
    }

    /** Carol's one message: about 3 MB of text, every seventh line starting with a dot. */
    static String big() {
        StringBuilder text = new StringBuilder("From: a@example.org\r\nTo: carol@example.org\r\nSubject: big\r\n\r\n");
        for (int i = 0; i < 40_000; i++) {
            text.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(' ').append("x".repeat(64)).append("\r\n");
        }
        return text.toString();
    }

    /** The recipe in the repository's peers directory (tests run in the module directory). */
    static Path recipe() {
        Path here = Path.of("").toAbsolutePath();
        for (Path at = here; at != null; at = at.getParent()) {
            Path candidate = at.resolve("peers/dovecot-backend.conf");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("peers/dovecot-backend.conf not found above " + here);
    }

    /** The Dovecot log so far, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("dovecot/log/dovecot.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The first log line that matches, waiting up to 5 s for Dovecot's log process to write it. */
    java.util.Optional<String> awaitLog(java.util.function.Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            var line = log().lines().filter(match).findFirst();
            if (line.isPresent() || System.nanoTime() > deadline) {
                return line;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** The login lines of the log, for failure messages. */
    String logins() {
        return String.join("\n", log().lines().filter(l -> l.contains("Login") || l.contains("auth")).toList());
    }

    /** Stops Dovecot: {@code dovecot stop}, then the started pid if it is still there. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void stop() throws IOException, InterruptedException {
        try {
            Process stop = new ProcessBuilder("/usr/sbin/dovecot", "-c", conf.toString(), "stop")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            stop.waitFor(10, TimeUnit.SECONDS);
        } finally {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dovecot exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("dovecot did not listen on " + port + " within 15 s");
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("berth-run", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out: " + command + ": " + Files.readString(out));
            }
            String text = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new UncheckedIOException(new IOException(command + " exited " + process.exitValue() + ": " + text));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
