package dev.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A line-protocol client for the process tests (SMTP, POP3): send a line, read a line or a
 * multi-line reply. Every read waits at most 10 s.
 */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** The next line, without its end; null at the end of the stream. */
    String line() throws IOException {
        return in.readLine();
    }

    /** An SMTP reply: its lines up to the one with a space after the code, joined by newlines. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return all.append("(closed)").toString();
            }
            all.append(all.isEmpty() ? "" : "\n").append(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString();
    }

    /** Sends a line with CRLF. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a line and reads the SMTP reply. */
    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** A POP3 multi-line answer's body, up to the "." line. */
    String multiline() throws IOException {
        StringBuilder body = new StringBuilder();
        for (String line = in.readLine(); line != null && !line.equals("."); line = in.readLine()) {
            body.append(line).append('\n');
        }
        return body.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * Everything {@code in} yields until the peer closes; a reset counts as the end too (a killed
     * worker's socket, or a close right after a goodbye).
     */
    static String untilClosed(java.io.InputStream in) {
        StringBuilder rest = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1) {
                rest.append((char) c);
            }
        } catch (java.io.IOException reset) {
            // the expected end for a reset socket
        }
        return rest.toString();
    }
}
