package dev.berth.service;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** {@link Outbound#DIRECT}: the kernel chooses the source; blocking sockets are the JDK's. Stateless. */
final class DirectOutbound implements Outbound {

    @Override
    public Future<Channel> connect(Bootstrap bootstrap, InetSocketAddress target) {
        ChannelFuture connect = bootstrap.connect(target);
        Promise<Channel> promise = connect.channel().eventLoop().newPromise();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(connect.channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    @Override
    public OutboundSocket open(InetSocketAddress target, Duration connectTimeout, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            return new JdkSocket(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A JDK socket as an {@link OutboundSocket}. */
    private record JdkSocket(Socket socket) implements OutboundSocket {

        @Override
        public InputStream input() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                return InputStream.nullInputStream();
            }
        }

        @Override
        public OutputStream output() {
            try {
                return socket.getOutputStream();
            } catch (IOException e) {
                return OutputStream.nullOutputStream();
            }
        }

        @Override
        public boolean isOpen() {
            return !socket.isClosed();
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
