package dev.berth.master;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line's side of the master's CLI socket: one request, one JSON reply. Blocking;
 * usable from any thread.
 */
public final class MasterClient {

    private final Path socket;

    /** A client for the master whose run directory holds {@code berth.sock}. */
    public MasterClient(Path runDir) {
        this.socket = runDir.resolve("berth.sock");
    }

    /** Whether a master answers on {@code socket}. */
    static boolean reachable(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends {@code {"command": command}} plus {@code now} for stop, and returns the reply.
     *
     * @return the reply object: {@code ok}, and {@code status} or {@code error}
     * @throws MasterException when no master answers on the socket
     */
    public JsonNode request(String command, boolean now) {
        return request(java.util.Map.of("command", command, "now", now));
    }

    /**
     * Sends one request object (its {@code command} names what to do, the other fields are the
     * command's arguments) and returns the reply.
     *
     * @return the reply object: {@code ok}, and the command's answer or {@code error}
     * @throws MasterException when no master answers on the socket
     */
    public JsonNode request(java.util.Map<String, Object> request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String line = JsonTree.write(request) + "\n";
            ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return JsonTree.parse(CliServer.readLine(channel));
        } catch (IOException e) {
            throw new MasterException("no master answers on " + socket + " (" + e.getMessage() + ")");
        }
    }
}
