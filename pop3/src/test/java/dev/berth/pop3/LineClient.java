package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw POP3 client over a loopback socket that plays text-block transcripts: {@code C: } lines
 * are sent as they come (so consecutive ones are pipelined), each {@code S: } line reads one line.
 * Reads time out after ten seconds.
 */
final class LineClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LineClient(int port) throws IOException {
        this(port, 0);
    }

    /** With a receive buffer of {@code receiveBuffer} bytes, or the system's for 0. */
    LineClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Plays the transcript and checks that the server said exactly its {@code S:} lines. */
    void check(String transcript) throws IOException {
        StringBuilder actual = new StringBuilder();
        for (String line : transcript.lines().toList()) {
            if (line.startsWith("C: ")) {
                send(line.substring(3));
                actual.append(line).append('\n');
            } else if (line.startsWith("S:")) {
                actual.append(("S: " + readLine()).stripTrailing()).append('\n');
            }
        }
        assertThat(actual.toString()).isEqualTo(transcript);
    }

    void send(String line) throws IOException {
        sendRaw(line + "\r\n");
    }

    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line without its CRLF; fails on a bare LF or the end of the stream. */
    String readLine() throws IOException {
        return new String(readLineBytes(), StandardCharsets.UTF_8);
    }

    private byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream after " + line);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        assertThat(bytes).as("line ends with CRLF").isNotEmpty().endsWith((byte) '\r');
        return java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }

    /** The body of a multi-line reply, un-stuffed, with its CRLFs, without the terminator. */
    byte[] readBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readLineBytes();
            if (line.length == 1 && line[0] == '.') {
                return body.toByteArray();
            }
            int from = line.length > 0 && line[0] == '.' ? 1 : 0;
            body.write(line, from, line.length - from);
            body.write('\r');
            body.write('\n');
        }
    }

    /** Whether the server closed the connection (reads end of stream within the timeout). */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    /** Upgrades to TLS trusting any certificate (after {@code +OK} to STLS). */
    void startTls() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new java.io.BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
