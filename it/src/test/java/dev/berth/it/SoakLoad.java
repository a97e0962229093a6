package dev.berth.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's clients, each one operation at a time on plain sockets: an HTTP keep-alive client
 * (one connection reused), HTTP with a connection per request, an SMTP client that sends one or
 * two messages per connection into Maildir, and a POP3 client that logs in through the proxy and
 * RETRs a message from Dovecot. Each operation ends in one {@link Outcome}; {@link Tally} keeps
 * the counts and the failures with their times, for {@link SoakChaos} to explain. Blocking;
 * every socket has connect and read timeouts.
 */
final class SoakLoad {

    /** How one operation ended. */
    enum Outcome {
        /** Done as asked. */
        OK,
        /** The server said goodbye in its protocol (SMTP 421, HTTP close on an idle keep-alive). */
        GOODBYE,
        /** The connection failed before the server sent a byte: refused, reset, closed, timed out. */
        FAILED_UNSERVED,
        /** The connection broke after the server had answered (a worker had accepted it). */
        BROKEN_SERVED,
        /** The server answered, but not what the protocol says. */
        WRONG
    }

    /** A failure, when its operation ran (System.nanoTime), and when it ended on the wall clock. */
    record Failure(String kind, Outcome outcome, long startNanos, long endNanos, java.time.Instant ended, String detail) {
    }

    /** Counts per kind and outcome, the failures, and the Message-IDs acknowledged with 250. */
    static final class Tally {
        final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final java.util.Queue<Failure> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        void count(String kind, Outcome outcome, long start, String detail) {
            counts.computeIfAbsent(kind + " " + outcome, k -> new AtomicLong()).incrementAndGet();
            if (outcome != Outcome.OK && outcome != Outcome.GOODBYE) {
                failures.add(new Failure(kind, outcome, start, System.nanoTime(), java.time.Instant.now(), detail));
            }
        }

        long count(String kind, Outcome outcome) {
            AtomicLong n = counts.get(kind + " " + outcome);
            return n == null ? 0 : n.get();
        }
    }

    static final int TIMEOUT_MS = 15_000;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private SoakLoad() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    /** Reads one CRLF line (without it); null at end of stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads an SMTP reply (all its lines); returns the last line, null at end of stream. */
    static String smtpReply(InputStream in) throws IOException {
        for (String l; (l = line(in)) != null; ) {
            if (l.length() < 4 || l.charAt(3) != '-') {
                return l;
            }
        }
        return null;
    }

    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * One SMTP connection: EHLO, then one or two messages to alice, QUIT. Each message carries a
     * unique Message-ID, recorded in {@code tally.acknowledged} once the 250 after DATA arrived.
     */
    static void smtp(int port, Tally tally) {
        long start = System.nanoTime();
        boolean served = false;
        try (Socket socket = connect(port)) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = smtpReply(in);
            if (greeting == null) {
                tally.count("smtp", Outcome.FAILED_UNSERVED, start, "no greeting");
                return;
            }
            served = true;
            if (greeting.startsWith("421")) {
                tally.count("smtp", Outcome.GOODBYE, start, greeting);
                return;
            }
            send(out, "EHLO soak.test\r\n");
            String ehlo = smtpReply(in);
            if (ehlo != null && ehlo.startsWith("421")) {
                tally.count("smtp", Outcome.GOODBYE, start, ehlo);
                return;
            }
            int messages = 1 + (int) (SEQUENCE.get() % 2);
            for (int i = 0; i < messages; i++) {
                String id = "soak-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "@soak.test";
                send(out, "MAIL FROM:<load@soak.test>\r\n");
                String mail = smtpReply(in);
                if (mail == null || mail.startsWith("421")) {
                    tally.count("smtp", mail == null ? Outcome.BROKEN_SERVED : Outcome.GOODBYE, start, "MAIL: " + mail);
                    return;
                }
                send(out, "RCPT TO:<alice@example.test>\r\nDATA\r\n");
                String rcpt = smtpReply(in);
                String data = smtpReply(in);
                if (rcpt == null || data == null || !rcpt.startsWith("250") || !data.startsWith("354")) {
                    tally.count("smtp", rcpt == null || data == null ? Outcome.BROKEN_SERVED : Outcome.WRONG, start, rcpt + " / " + data);
                    return;
                }
                send(out, "Message-ID: <" + id + ">\r\nSubject: soak\r\n\r\n" + "line of the soak\r\n".repeat(20) + "end " + id + "\r\n.\r\n");
                String queued = smtpReply(in);
                if (queued == null || !queued.startsWith("250")) {
                    tally.count("smtp", queued == null ? Outcome.BROKEN_SERVED : Outcome.WRONG, start, "DATA end: " + queued);
                    return;
                }
                tally.acknowledged.add(id);
            }
            send(out, "QUIT\r\n");
            smtpReply(in);
            tally.count("smtp", Outcome.OK, start, "");
        } catch (IOException e) {
            tally.count("smtp", served ? Outcome.BROKEN_SERVED : Outcome.FAILED_UNSERVED, start, e.toString());
        }
    }

    /** One POP3 session through the proxy: USER/PASS, STAT, RETR 1 (must equal {@code expected}), QUIT. */
    static void pop3(int port, String user, String expected, Tally tally) {
        long start = System.nanoTime();
        boolean served = false;
        try (Socket socket = connect(port)) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = line(in);
            if (greeting == null) {
                tally.count("pop3", Outcome.FAILED_UNSERVED, start, "no greeting");
                return;
            }
            served = true;
            send(out, "USER " + user + "\r\nPASS secret\r\n");
            String userReply = line(in);
            String pass = line(in);
            if (pass == null || userReply == null) {
                tally.count("pop3", Outcome.BROKEN_SERVED, start, "login: " + userReply + " / " + pass);
                return;
            }
            if (!pass.startsWith("+OK")) {
                tally.count("pop3", pass.contains("[SYS/TEMP]") || pass.contains("[IN-USE]") ? Outcome.GOODBYE : Outcome.WRONG,
                        start, "PASS: " + pass);
                return;
            }
            send(out, "RETR 1\r\n");
            String ok = line(in);
            StringBuilder body = new StringBuilder();
            for (String l; ok != null && ok.startsWith("+OK") && (l = line(in)) != null && !l.equals("."); ) {
                body.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
            }
            send(out, "QUIT\r\n");
            line(in);
            boolean right = ok != null && body.toString().equals(expected);
            tally.count("pop3", right ? Outcome.OK : ok == null ? Outcome.BROKEN_SERVED : Outcome.WRONG, start,
                    right ? "" : "RETR: " + ok + " (" + body.length() + " octets)");
        } catch (IOException e) {
            tally.count("pop3", served ? Outcome.BROKEN_SERVED : Outcome.FAILED_UNSERVED, start, e.toString());
        }
    }
}
