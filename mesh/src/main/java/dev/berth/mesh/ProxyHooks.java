package dev.berth.mesh;

import dev.berth.scoreboard.Counters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the host gives a {@link MeshProxy} besides its config: where it counts its calls, how it
 * shows that its threads are alive, and how it opens connections to other nodes.
 *
 * @param counters where {@code berth_mesh_calls_total} and {@code berth_mesh_call_seconds} are
 *     counted: the proxy child's scoreboard slot, which the master reads for its metrics
 * @param heartbeat stamped by the slot agent (entry {@value #AGENT_BEAT}) at every tick, once it
 *     reads the slots, and by the event loop (entry {@value #LOOP_BEAT}) every {@value
 *     MeshProxy#LOOP_BEAT_MILLIS} ms, both on the event loop, with monotonic milliseconds; a stuck
 *     loop shows as old beats, and the master treats it as a hang
 * @param dialer how links to other nodes are connected
 */
public record ProxyHooks(Counters counters, Heartbeat heartbeat, PeerDialer dialer) {

    /** The slot agent's heartbeat entry. */
    public static final int AGENT_BEAT = 0;
    /** The event loop's heartbeat entry. */
    public static final int LOOP_BEAT = 1;
    /** How many heartbeat entries the proxy stamps. */
    public static final int BEATS = 2;

    /** Checks the components. */
    public ProxyHooks {
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(dialer, "dialer");
    }

    /** No counters, no heartbeat, direct connections: a proxy run on its own and in tests. */
    public static ProxyHooks none() {
        return new ProxyHooks(Counters.none(), (entry, nowMillis) -> { }, PeerDialer.DIRECT);
    }

    /** Where a proxy thread stamps that it is alive. Called from the stamping thread; must not block. */
    @FunctionalInterface
    public interface Heartbeat {
        /** One stamp of entry {@code entry} at {@code nowMillis} (monotonic milliseconds). */
        void beat(int entry, long nowMillis);
    }

    /**
     * How the proxy connects to another node: the seam where a tenant group's outbound source
     * address goes (DESIGN.md §7; {@code service.Outbound#connect} has this shape). Called on the
     * link's event loop; must not block.
     */
    @FunctionalInterface
    public interface PeerDialer {
        /** Lets the kernel choose the source address. */
        PeerDialer DIRECT = (bootstrap, target) -> {
            ChannelFuture connecting = bootstrap.connect(target);
            Promise<Channel> connected = connecting.channel().eventLoop().newPromise();
            connecting.addListener(f -> {
                if (f.isSuccess()) {
                    connected.setSuccess(connecting.channel());
                } else {
                    connected.setFailure(f.cause());
                }
            });
            return connected;
        };

        /**
         * Connects {@code bootstrap} (group, channel type, options and handler set) to {@code target}.
         *
         * @return completes with the connected channel, or fails with the reason
         */
        Future<Channel> connect(Bootstrap bootstrap, InetSocketAddress target);
    }
}
