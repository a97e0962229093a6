package dev.berth.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code mesh-echo} kind: executes the requests of its service's {@code mesh-group} by
 * answering {@code {"node":N,"group":G,"key":K,"type":T,"from":F,"payload":"..."}} (a test and
 * demo handler). It listens on nothing.
 *
 * <pre>
 * services:
 *   - {name: quotes, kind: mesh-echo, pool: backend, mesh-group: quotes}
 * </pre>
 */
public final class MeshEchoKind implements ServiceKind {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** For {@link java.util.ServiceLoader}. */
    public MeshEchoKind() {
    }

    @Override
    public String name() {
        return "mesh-echo";
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        throw section.error("", "kind mesh-echo needs the whole config", "");
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        section.rejectUnknownKeys(Set.of());
        String group = KindSupport.service(section, host).meshGroup().orElseThrow(() -> section.error("",
                "kind mesh-echo needs mesh-group", "a mesh-group: key on the service, naming the group it executes"));
        String node = KindSupport.mesh(section, host, name()).node().orElse("");
        return new Settings(group, node, host.master().runDir());
    }

    /** Attaches the worker to the mesh and serves the group. */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof Settings s)) {
            throw new IllegalArgumentException("settings: not from the mesh-echo kind: " + settings);
        }
        // an echo computes its reply at once: it runs on the mesh client's reader, not a virtual thread
        Mesh.shared(s.runDir()).serve(s.group(), MeshHandler.nonBlocking(request -> {
            context.requests().requestServed();
            return CompletableFuture.completedFuture(echo(s.node(), request));
        }));
        return new ServiceHandler() {
            @Override
            public void initChannel(Channel channel) {
                channel.close();
            }

            /** The worker exits: its slot goes back while the requests in hand can still be counted. */
            @Override
            public void close() {
                SharedMesh.close(s.runDir().resolve(Mesh.SLOT_FILE));
            }
        };
    }

    /** The echo of one request. */
    static byte[] echo(String node, MeshRequest request) {
        ObjectNode reply = JSON.createObjectNode().put("node", node).put("group", request.group())
                .put("key", request.key()).put("type", request.type()).put("from", request.from())
                .put("payload", new String(request.payload(), StandardCharsets.UTF_8));
        return reply.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param group the group it executes
     * @param node {@code mesh.node}, empty for the host name
     * @param runDir where the slot file is
     */
    record Settings(String group, String node, Path runDir) implements ServiceSettings {
    }
}
