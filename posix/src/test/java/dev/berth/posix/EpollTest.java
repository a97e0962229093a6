package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpollTest {

    private int epfd;
    private TcpListener listener;

    @BeforeEach
    void setUp() {
        epfd = Epoll.create();
        listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, false);
    }

    @AfterEach
    void tearDown() {
        listener.close();
        FileDescriptors.close(epfd);
    }

    @Test
    void anExclusiveRegistrationReportsAWaitingConnectionWithTheDescriptorAsData() throws Exception {
        Epoll.add(epfd, listener.fd(), Epoll.EPOLLIN | Epoll.EPOLLEXCLUSIVE);
        assertThat(Epoll.await(epfd, 4, 0)).as("nothing waiting yet").isEmpty();

        try (Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            assertThat(Epoll.await(epfd, 4, 10_000)).containsExactly(listener.fd());
        }
    }

    @Test
    void aDescriptorIsAddedOnceAndDeletedOnce() {
        Epoll.add(epfd, listener.fd(), Epoll.EPOLLIN);
        assertThatThrownBy(() -> Epoll.add(epfd, listener.fd(), Epoll.EPOLLIN))
                .isInstanceOf(PosixException.class).hasMessageContaining("File exists");
        Epoll.delete(epfd, listener.fd());
        assertThatThrownBy(() -> Epoll.delete(epfd, listener.fd()))
                .isInstanceOf(PosixException.class).hasMessageContaining("No such file");
        Epoll.add(epfd, listener.fd(), Epoll.EPOLLIN | Epoll.EPOLLEXCLUSIVE);
    }
}
