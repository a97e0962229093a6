package dev.berth.master;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves the command line on {@code run/berth.sock} (mode 0600: only the master's user may stop
 * it): one JSON request line in, one JSON reply line out, then close. Requests are answered by a
 * function that the supervisor runs on its own thread; this class only moves bytes, on one virtual
 * thread per connection.
 */
final class CliServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CliServer.class.getName());
    private static final int MAX_REQUEST = 64 * 1024;

    private final ServerSocketChannel server;
    private final Path path;
    private final Function<String, CompletableFuture<String>> answer;

    /**
     * Binds the socket and starts accepting.
     *
     * @param answer turns a request line into a future reply line; called from connection threads
     * @throws IOException when the socket cannot be bound
     */
    CliServer(Path path, Function<String, CompletableFuture<String>> answer) throws IOException {
        Files.deleteIfExists(path);
        this.path = path;
        this.answer = answer;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread.ofPlatform().daemon().name("cli-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                Thread.ofVirtual().name("cli").start(() -> serve(connection));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "cli accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            String request = readLine(connection);
            String reply;
            try {
                reply = answer.apply(request).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                reply = "{\"ok\":false,\"error\":\"the master did not answer: " + e.getClass().getSimpleName() + "\"}";
            }
            ByteBuffer out = ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                connection.write(out);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cli connection failed: " + e.getMessage());
        }
    }

    static String readLine(SocketChannel connection) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
        while (in.hasRemaining()) {
            if (connection.read(in) < 0) {
                break;
            }
            if (in.position() > 0 && in.get(in.position() - 1) == '\n') {
                break;
            }
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8).strip();
    }

    /** Stops accepting and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
