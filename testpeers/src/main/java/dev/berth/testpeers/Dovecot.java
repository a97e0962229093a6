package dev.berth.testpeers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real Dovecot backend (POP3, POP3S, IMAP; passwd-file users; Maildir under {@code DIR/mail/USER})
 * started by {@code peers/peer dovecot} from {@code peers/dovecot-backend.conf} in a scratch
 * directory on free loopback ports. Users: {@code alice} and {@code bob@example.org} with password
 * {@code secret}, plus those added with {@link Builder#user}, or exactly the passwd-file given to
 * {@link Builder#users}. Needs root (mail processes run as {@code dovecot}): check
 * {@link Peer#root()} and {@link Peer#installed Peer.installed("dovecot")} to skip.
 *
 * <p>Ownership: the caller closes it; close stops the pid started (the Dovecot master, which stops
 * its children). Threads: one test thread; {@link #log()} may be read from any thread.
 */
public final class Dovecot implements AutoCloseable {

    private final Peer peer;
    private final int pop3Port;
    private final int imapPort;
    private final int pop3sPort;

    private Dovecot(Peer peer, int pop3Port, int imapPort, int pop3sPort) {
        this.peer = peer;
        this.pop3Port = pop3Port;
        this.imapPort = imapPort;
        this.pop3sPort = pop3sPort;
    }

    /** A builder for a Dovecot in {@code dir} (created if missing; a {@code @TempDir} or below). */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /** Starts a Dovecot in {@code dir} with the default users and no messages; see {@link Builder#start()}. */
    public static Dovecot start(Path dir) {
        return in(dir).start();
    }

    /** The plain POP3 port (STLS offered) on 127.0.0.1. */
    public int pop3Port() {
        return pop3Port;
    }

    /** The IMAP port (STARTTLS offered) on 127.0.0.1. */
    public int imapPort() {
        return imapPort;
    }

    /** The implicit-TLS POP3 port on 127.0.0.1 (self-signed {@code DIR/cert.pem}). */
    public int pop3sPort() {
        return pop3sPort;
    }

    /** The scratch directory: {@code dovecot.conf}, {@code users}, {@code mail/}, {@code log/}. */
    public Path dir() {
        return peer.dir();
    }

    /** The Maildir of {@code user} ({@code DIR/mail/USER} unless a config line moved it). */
    public Path maildir(String user) {
        return dir().resolve("mail").resolve(user);
    }

    /** The Dovecot log so far plus the launcher's output, for failure messages. Never blocks long. */
    public String log() {
        return Peer.read(dir().resolve("log/dovecot.log")) + peer.output();
    }

    /**
     * The first log line that matches, waiting (at most 5 s) for Dovecot's log process to write it;
     * empty if none did. Blocks the calling thread.
     */
    public Optional<String> awaitLog(Predicate<String> match) {
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), () -> log().lines().anyMatch(match));
        return log().lines().filter(match).findFirst();
    }

    /** The login and auth lines of the log, for failure messages. */
    public String logins() {
        return String.join("\n", log().lines().filter(l -> l.contains("Login") || l.contains("auth")).toList());
    }

    /** Stops Dovecot by the pid started (SIGTERM, SIGKILL after 15 s). Idempotent; never throws. */
    @Override
    public void close() {
        peer.close();
    }

    /**
     * What the Dovecot gets before it starts: users, seeded messages, extra config lines. Not
     * thread-safe; one test thread builds and starts.
     */
    public static final class Builder {

        private final Path dir;
        private final List<String> users = new ArrayList<>();
        private final List<String> config = new ArrayList<>();
        private final List<Seed> messages = new ArrayList<>();
        private Path passwd;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Adds a user with a plain-text password (besides alice and bob@example.org). */
        public Builder user(String name, String password) {
            users.add(name + ":{PLAIN}" + password);
            return this;
        }

        /**
         * Uses a copy of {@code passwdFile} (Dovecot passwd-file lines, {@code {SCHEME}} prefixes
         * allowed) as the users instead of alice and bob; {@link #user} lines are still added.
         */
        public Builder users(Path passwdFile) {
            this.passwd = passwdFile;
            return this;
        }

        /**
         * Seeds one old message ({@code cur/}, no flags: neither {@code \Recent} nor
         * {@code \Seen}) into {@code user}'s Maildir. Messages are named in the order added, so
         * a user's POP3 and IMAP numbering follows this order. {@code text} is stored as UTF-8
         * exactly (use CRLF for exact sizes).
         */
        public Builder message(String user, String text) {
            messages.add(new Seed(user, text, "cur"));
            return this;
        }

        /** Seeds one just-delivered message ({@code new/}, {@code \Recent}); otherwise as {@link #message}. */
        public Builder newMessage(String user, String text) {
            messages.add(new Seed(user, text, "new"));
            return this;
        }

        /**
         * Appends a line to {@code dovecot.conf}; a setting given again overrides the recipe's,
         * e.g. {@code "auth_failure_delay = 0"} or {@code "mail_location = maildir:/x/%d/%n"}.
         */
        public Builder config(String line) {
            config.add(line);
            return this;
        }

        /**
         * Writes users, messages and config under the directory, runs {@code peers/peer dovecot}
         * on three free ports and waits (at most 60 s) until POP3, IMAP and POP3S accept. Blocks.
         *
         * @throws PeerException when Dovecot exits or does not listen in time (it is stopped, and
         *     the message carries its log), or the files cannot be written
         */
        public Dovecot start() {
            try {
                prepare();
            } catch (IOException e) {
                throw new PeerException("cannot prepare Dovecot in " + dir, e);
            }
            int pop3 = Peer.freePort();
            int imap = Peer.freePort();
            int pop3s = Peer.freePort();
            Peer peer = Peer.launch("dovecot", dir, pop3, imap, pop3s);
            Dovecot dovecot = new Dovecot(peer, pop3, imap, pop3s);
            try {
                peer.awaitReady("listening on " + pop3 + ", " + imap + " and " + pop3s, Peer.START_TIMEOUT,
                        () -> Peer.accepts(pop3) && Peer.accepts(imap) && Peer.accepts(pop3s));
            } catch (PeerException e) {
                throw new PeerException(e.getMessage() + "\nlog: " + Peer.read(dir.resolve("log/dovecot.log")), e);
            }
            return dovecot;
        }

        private void prepare() throws IOException {
            Files.createDirectories(dir.resolve("mail"));
            if (passwd != null) {
                Files.copy(passwd, dir.resolve("users"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            write(dir.resolve("users.extra"), users);
            write(dir.resolve("dovecot.extra"), config);
            int n = 0;
            for (Seed message : messages) {
                n++;
                Path box = dir.resolve("mail").resolve(message.user());
                for (String sub : List.of("new", "cur", "tmp")) {
                    Files.createDirectories(box.resolve(sub));
                }
                String flags = message.folder().equals("cur") ? ":2," : "";
                String name = (1_000_000_000L + n) + ".M" + n + "P1.test" + flags;
                Files.writeString(box.resolve(message.folder()).resolve(name), message.text(), StandardCharsets.UTF_8);
            }
        }

        private static void write(Path file, List<String> lines) throws IOException {
            if (!lines.isEmpty()) {
                Files.writeString(file, String.join("\n", lines) + "\n");
            }
        }

        /** One message to seed: its user, its exact text, and {@code cur} or {@code new}. */
        private record Seed(String user, String text, String folder) {
        }
    }
}
