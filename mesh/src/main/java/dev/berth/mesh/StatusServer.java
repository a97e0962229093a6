package dev.berth.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers {@code run/mesh/status.sock}: whoever connects (the CLI's {@code berth mesh status}, the master
 * for its status) gets the proxy's status as one JSON line, and the connection closes. One virtual
 * thread accepts; the socket is the owner's only (0600).
 */
final class StatusServer implements AutoCloseable {

    /**
     * The socket's path in the run directory: in a directory of its own, which the master gives to
     * the children's user, so that a proxy that is not root can make it in a run directory that is.
     */
    static final String SOCKET = "mesh/status.sock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final ServerSocketChannel server;

    StatusServer(Path path, Supplier<Map<String, Object>> status) throws IOException {
        this.path = path;
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread.ofVirtual().name("berth-mesh-status").start(() -> serve(status));
    }

    private void serve(Supplier<Map<String, Object>> status) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                byte[] line = (JSON.writeValueAsString(status.get()) + "\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer out = ByteBuffer.wrap(line);
                while (out.hasRemaining()) {
                    client.write(out);
                }
            } catch (IOException | RuntimeException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /**
     * Reads the status of the proxy answering at {@code path}.
     *
     * @throws MeshException when no proxy answers there
     */
    static String read(Path path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            return new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new MeshException("no mesh proxy answers on " + path + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
