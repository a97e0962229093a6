package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking line client for POP3 and IMAP conversations in tests; every read is bounded (5 s). */
final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    WireClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from a chosen local loopback address (such as 127.0.0.2), or any when null. */
    WireClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads one line with its CRLF; empty at end of stream. */
    String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            if (b == '\n') {
                break;
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Sends a line (CRLF added) and reads one line back. */
    String command(String line) throws IOException {
        send(line);
        return line();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads a POP3 multi-line body up to and including the terminating {@code .CRLF}, raw. */
    byte[] multiline() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String line = line();
            if (line.isEmpty()) {
                throw new IOException("closed in a multi-line response");
            }
            buf.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (line.equals(".\r\n")) {
                return buf.toByteArray();
            }
        }
    }

    /** POP3: sends USER (which must be accepted) and PASS; returns the answer to PASS. */
    String userPass(String user, String password) throws IOException {
        assertThat(command("USER " + user)).startsWith("+OK");
        return command("PASS " + password);
    }

    /** POP3: reads the greeting and logs in with password {@code secret}; each answer must be {@code +OK}. */
    void pop3Login(String user) throws IOException {
        assertThat(line()).startsWith("+OK");
        assertThat(userPass(user, "secret")).startsWith("+OK");
    }

    /** POP3: RETR, which must be accepted; returns the raw multi-line body. */
    byte[] retr(int n) throws IOException {
        assertThat(command("RETR " + n)).startsWith("+OK");
        return multiline();
    }

    /** Whether the server closed the connection (bounded read). */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
