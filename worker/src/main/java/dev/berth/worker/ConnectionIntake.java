package dev.berth.worker;

import dev.berth.posix.FileDescriptors;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.System.Logger.Level;

/**
 * Turns an accepted connection's fd into a channel on the next event loop, where the service's
 * handler installs its pipeline, and keeps the slot's accepted and active counts. Called from
 * acceptor threads; thread-safe; never blocks.
 */
final class ConnectionIntake {

    private static final System.Logger LOG = System.getLogger(ConnectionIntake.class.getName());

    private final EventLoopGroup loops;
    private final WorkerSlot slot;

    ConnectionIntake(EventLoopGroup loops, WorkerSlot slot) {
        this.loops = loops;
        this.slot = slot;
    }

    /** Takes ownership of {@code fd}, a connected, non-blocking TCP socket. */
    void take(int fd, ServiceHandler handler) {
        slot.connectionAccepted();
        EpollSocketChannel channel;
        try {
            channel = new EpollSocketChannel(fd);
        } catch (RuntimeException e) {
            slot.connectionClosed();
            FileDescriptors.close(fd);
            LOG.log(Level.WARNING, "cannot wrap accepted connection: " + e);
            return;
        }
        channel.closeFuture().addListener(f -> slot.connectionClosed());
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                handler.initChannel(ch);
            }
        });
        loops.next().register(channel).addListener(f -> {
            if (!f.isSuccess()) {
                channel.unsafe().closeForcibly();
            }
        });
    }
}
