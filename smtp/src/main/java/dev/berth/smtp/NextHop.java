package dev.berth.smtp;

import dev.berth.config.HostPort;
import dev.berth.service.Outbound;
import dev.berth.service.OutboundSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A blocking SMTP client connection to the next hop: greeting, EHLO (HELO if refused),
 * commands and replies, message bytes. Used by {@link RelayTransport} on the connection's
 * executor thread only; every method blocks. Failures are {@link IOException}s; the owner
 * closes the connection.
 */
final class NextHop implements AutoCloseable {

    static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    static final int READ_TIMEOUT_MILLIS = 300_000;
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 200;

    private final OutboundSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Set<String> capabilities = new HashSet<>();

    private NextHop(OutboundSocket socket) {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.input());
        this.out = new BufferedOutputStream(socket.output(), 65536);
    }

    /**
     * Connects through {@code outbound} (a tenant group's instance leaves from its group's
     * address), reads the greeting and says EHLO. Returns the connection, or throws {@link Refused}
     * carrying the next hop's negative reply.
     */
    static NextHop open(HostPort to, String hostname, Outbound outbound) throws IOException {
        OutboundSocket socket = outbound.open(new InetSocketAddress(to.host(), to.port()),
                Duration.ofMillis(CONNECT_TIMEOUT_MILLIS), Duration.ofMillis(READ_TIMEOUT_MILLIS));
        try {
            NextHop hop = new NextHop(socket);
            SmtpReply greeting = hop.readReply();
            if (greeting.code() != 220) {
                throw new Refused(greeting);
            }
            SmtpReply ehlo = hop.command("EHLO " + hostname);
            if (ehlo.code() == 250) {
                for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
                    hop.capabilities.add(line.toUpperCase(Locale.ROOT).split(" ")[0]);
                }
            } else {
                SmtpReply helo = hop.command("HELO " + hostname);
                if (helo.code() != 250) {
                    throw new Refused(helo);
                }
            }
            return hop;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Whether a kept connection can no longer be used: closed, or the next hop said something
     * unasked (a 421 before closing an idle connection).
     */
    boolean stale() {
        try {
            return !socket.isOpen() || in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether the next hop's EHLO named this keyword (PIPELINING, SIZE, CHUNKING ...). */
    boolean has(String keyword) {
        return capabilities.contains(keyword);
    }

    /** Sends one command line and reads the reply. */
    SmtpReply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readReply();
    }

    /** The raw output for message bytes; the caller flushes through {@link #readReply} after. */
    OutputStream output() {
        return out;
    }

    /** Flushes what was written and reads one reply. */
    SmtpReply readReply() throws IOException {
        out.flush();
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (lines.size() < MAX_LINES) {
            String line = readLine();
            if (line.length() < 3 || !line.substring(0, 3).matches("[2-5][0-9][0-9]")
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("next hop sent a malformed reply line: " + ScanStep.printable(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new IOException("next hop changed the code inside a reply");
            }
            code = lineCode;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, "", lines);
            }
        }
        throw new IOException("next hop reply has too many lines");
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("next hop closed the connection");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("next hop reply line too long");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        return text.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }

    @Override
    public void close() {
        socket.close();
    }

    /** The next hop answered the greeting or EHLO/HELO negatively. */
    static final class Refused extends IOException {
        private final transient SmtpReply reply;

        Refused(SmtpReply reply) {
            super("next hop refused: " + reply);
            this.reply = reply;
        }

        SmtpReply reply() {
            return reply;
        }
    }
}
