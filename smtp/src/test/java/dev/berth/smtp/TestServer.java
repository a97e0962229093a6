package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.service.ServiceHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** An in-test Netty server on 127.0.0.1, port 0, around a service handler; and a client. */
final class TestServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final ServiceHandler handler;

    TestServer(ServiceHandler handler) {
        this.handler = handler;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handler.initChannel(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    Client connect() throws IOException {
        return new Client(new Socket("127.0.0.1", port()));
    }

    @Override
    public void close() {
        handler.close();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes a self-signed EC certificate for localhost into dir (cert.pem, key.pem) with openssl. */
    static void selfSigned(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-days", "2", "-subj", "/CN=localhost").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.exists(dir.resolve("key.pem"))).isTrue();
    }

    /** A blocking line client with bounded reads (10 s). */
    static final class Client implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        Client(Socket socket) throws IOException {
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One whole reply (all its lines), joined with \n. */
        String reply() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    lines.add("<closed>");
                    return String.join("\n", lines);
                }
                lines.add(line);
                if (line.length() < 4 || line.charAt(3) == ' ') {
                    return String.join("\n", lines);
                }
            }
        }

        /** Whether the server closed the connection (reads EOF within the timeout). */
        boolean closed() throws IOException {
            return in.read() < 0;
        }

        /** Runs the TLS handshake over the connection, trusting any certificate. */
        void startTls() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String type) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String type) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
            tls.startHandshake();
            attach(tls);
        }

        /**
         * Plays a transcript: "C: " lines are sent (consecutive ones in one write), each "S: "
         * line is one expected reply line; a trailing "*" matches any rest of the line.
         */
        void converse(String transcript) throws IOException {
            StringBuilder pending = new StringBuilder();
            for (String line : transcript.split("\n")) {
                if (line.startsWith("C: ") || line.equals("C:")) {
                    pending.append(line.substring(Math.min(3, line.length()))).append("\r\n");
                } else if (line.startsWith("S: ")) {
                    if (!pending.isEmpty()) {
                        write(pending.toString());
                        pending.setLength(0);
                    }
                    String expected = line.substring(3);
                    String actual = in.readLine();
                    if (expected.endsWith("*")) {
                        assertThat(actual).startsWith(expected.substring(0, expected.length() - 1));
                    } else {
                        assertThat(actual).isEqualTo(expected);
                    }
                }
            }
            if (!pending.isEmpty()) {
                write(pending.toString());
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
