package dev.berth.worker;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The epoll descriptor of a Netty event loop, which Netty keeps to itself: {@link LoopAcceptor}
 * re-adds a shared listening socket to it with {@code EPOLLEXCLUSIVE}, a flag Netty's registration
 * API cannot pass. Read through two private fields ({@code SingleThreadIoEventLoop.ioHandler},
 * {@code EpollIoHandler.epollFd}) of the Netty version in the root POM; {@code LoopAcceptorTest}
 * fails if a Netty upgrade moves them. Call on the loop's own thread, after it started.
 */
final class NettyEpoll {

    private static final VarHandle IO_HANDLER;
    private static final VarHandle EPOLL_FD;

    static {
        try {
            IO_HANDLER = MethodHandles.privateLookupIn(SingleThreadIoEventLoop.class, MethodHandles.lookup())
                    .findVarHandle(SingleThreadIoEventLoop.class, "ioHandler", IoHandler.class);
            Class<?> epoll = Class.forName("io.netty.channel.epoll.EpollIoHandler");
            EPOLL_FD = MethodHandles.privateLookupIn(epoll, MethodHandles.lookup())
                    .findVarHandle(epoll, "epollFd", FileDescriptor.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NettyEpoll() {
    }

    /** The epoll descriptor {@code loop} waits on. */
    static int fd(EventLoop loop) {
        Object handler = IO_HANDLER.get((SingleThreadIoEventLoop) loop);
        if (handler instanceof HeartbeatIoHandler beating) {
            handler = beating.delegate();
        }
        return ((FileDescriptor) EPOLL_FD.get(handler)).intValue();
    }
}
