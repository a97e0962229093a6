package dev.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A next hop that accepts every message and remembers where each connection came from, so a test
 * sees the source address of berth's relay (Postfix's smtp-sink does not report its clients).
 * One virtual thread per connection; {@link #close} stops it.
 */
final class RecordingSmtpPeer implements AutoCloseable {

    private final ServerSocket server;
    private final List<InetSocketAddress> clients = new CopyOnWriteArrayList<>();
    private final List<String> recipients = new CopyOnWriteArrayList<>();

    RecordingSmtpPeer(String host) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.ofLiteral(host));
        Thread.ofVirtual().name("smtp-peer").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Where the connections came from, in order. */
    List<InetSocketAddress> clients() {
        return clients;
    }

    /** Every RCPT TO argument taken. */
    List<String> recipients() {
        return recipients;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                clients.add((InetSocketAddress) s.getRemoteSocketAddress());
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            write(out, "220 peer ready");
            boolean data = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (data) {
                    if (line.equals(".")) {
                        data = false;
                        write(out, "250 2.0.0 queued");
                    }
                    continue;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> write(out, "250-peer\r\n250 8BITMIME");
                    case "DATA" -> {
                        data = true;
                        write(out, "354 go on");
                    }
                    case "QUIT" -> {
                        write(out, "221 bye");
                        return;
                    }
                    case "RCPT" -> {
                        recipients.add(line.substring(line.indexOf(':') + 1).trim());
                        write(out, "250 2.1.5 ok");
                    }
                    default -> write(out, "250 2.0.0 ok");
                }
            }
        } catch (SocketException closed) {
            // the relay hung up
        } catch (IOException e) {
            System.err.println("smtp peer: " + e);
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
