package dev.berth.it;

import dev.berth.it.SoakLoad.Outcome;
import dev.berth.it.SoakLoad.Tally;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;

/**
 * The soak's HTTP clients: {@link KeepAlive} reuses one connection for request after request,
 * {@link #perConnection} opens one per request. A reused connection that the server closed before
 * answering (an idle keep-alive connection of a draining worker, RFC 9112 9.6) is a goodbye, and
 * the request is repeated once on a new connection, as browsers and proxies do for a GET.
 */
final class SoakHttp {

    static final String BODY = "soak\n";

    private SoakHttp() {
    }

    /** One connection, reused; confined to the thread that runs {@link #request}. */
    static final class KeepAlive {
        private final int port;
        private Socket socket;

        KeepAlive(int port) {
            this.port = port;
        }

        void request(Tally tally) {
            boolean reused = socket != null;
            long start = System.nanoTime();
            try {
                if (socket == null) {
                    socket = SoakLoad.connect(port);
                }
                Outcome outcome = exchange(socket, false);
                if (outcome == Outcome.FAILED_UNSERVED && reused) {
                    close();
                    tally.count("http-keepalive", Outcome.GOODBYE, start, "closed while idle");
                    request(tally);
                    return;
                }
                if (outcome != Outcome.OK || socket.isClosed()) {
                    close();
                }
                tally.count("http-keepalive", outcome, start, outcome == Outcome.OK ? "" : "exchange");
            } catch (IOException e) {
                close();
                tally.count("http-keepalive", reused ? Outcome.BROKEN_SERVED : Outcome.FAILED_UNSERVED, start, e.toString());
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the connection is being dropped anyway
                }
                socket = null;
            }
        }
    }

    /** One request on its own connection ({@code Connection: close}). */
    static void perConnection(int port, Tally tally) {
        long start = System.nanoTime();
        try (Socket socket = SoakLoad.connect(port)) {
            tally.count("http-close", exchange(socket, true), start, "exchange");
        } catch (IOException e) {
            tally.count("http-close", Outcome.FAILED_UNSERVED, start, e.toString());
        }
    }

    /** Sends a GET and reads the response; FAILED_UNSERVED when not one byte came back. */
    private static Outcome exchange(Socket socket, boolean close) throws IOException {
        SoakLoad.send(socket.getOutputStream(), "GET /soak HTTP/1.1\r\nHost: soak\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n");
        InputStream in = socket.getInputStream();
        String status;
        try {
            status = SoakLoad.line(in);
        } catch (java.net.SocketException e) {
            return Outcome.FAILED_UNSERVED;
        }
        if (status == null) {
            return Outcome.FAILED_UNSERVED;
        }
        long length = -1;
        boolean closing = close;
        for (String h; (h = SoakLoad.line(in)) != null && !h.isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        byte[] body = length < 0 ? new byte[0] : in.readNBytes((int) length);
        if (!status.startsWith("HTTP/1.1 200") || !new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).equals(BODY)) {
            return body.length < length ? Outcome.BROKEN_SERVED : Outcome.WRONG;
        }
        if (closing && !close) {
            socket.close();
        }
        return Outcome.OK;
    }
}
