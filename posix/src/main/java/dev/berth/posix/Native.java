package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions berth calls through FFM, each with {@code errno} captured. Linux x86_64 and
 * aarch64 (LP64, glibc) only. Every handle is thread-safe; blocking calls block the calling thread,
 * which must therefore be a platform thread the caller owns.
 *
 * <p>Each handle is the {@code HANDLE} of a holder class named after its function ({@code
 * Native.Socket.HANDLE}), linked when first called: a fresh JVM spends 8-12 ms linking each
 * function type (a generated stub class and a dozen lambda forms, none of which a class-data archive
 * holds) and 25-40 ms on the first, and a worker uses a handful of the thirty (docs/adr/0032).
 */
final class Native {

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EEXIST = 17;
    static final int EPIPE = 32;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int NETLINK_ROUTE = 0;
    static final int NETLINK_SOCK_DIAG = 4;
    static final int IPPROTO_IP = 0;
    static final int IP_BIND_ADDRESS_NO_PORT = 24;
    static final int IP_LOCAL_PORT_RANGE = 51;
    static final int ENOPROTOOPT = 92;
    static final int SOCK_STREAM = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 04000;
    static final int SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int SO_PEERCRED = 17;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int SCM_RIGHTS = 1;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_CTRUNC = 0x08;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int O_NONBLOCK = 04000;
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_WRONLY = 01;
    static final int O_APPEND = 02000;
    static final int O_CLOEXEC = 02000000;
    static final int LOCK_EX = 2;
    static final int LOCK_UN = 8;
    static final short POLLIN = 0x1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    static final class Socket {
        static final MethodHandle HANDLE = handle("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Bind {
        static final MethodHandle HANDLE = handle("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Listen {
        static final MethodHandle HANDLE = handle("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Accept4 {
        static final MethodHandle HANDLE = handle("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    }

    static final class Connect {
        static final MethodHandle HANDLE = handle("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Close {
        static final MethodHandle HANDLE = handle("close", JAVA_INT, JAVA_INT);
    }

    static final class Shutdown {
        static final MethodHandle HANDLE = handle("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Setsockopt {
        static final MethodHandle HANDLE = handle("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Getsockopt {
        static final MethodHandle HANDLE = handle("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    }

    static final class Getsockname {
        static final MethodHandle HANDLE = handle("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    }

    static final class Getpeername {
        static final MethodHandle HANDLE = handle("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    }

    static final class Sendto {
        static final MethodHandle HANDLE = handle("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Send {
        static final MethodHandle HANDLE = handle("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    }

    static final class Recv {
        static final MethodHandle HANDLE = handle("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    }

    static final class IfNametoindex {
        static final MethodHandle HANDLE = handle("if_nametoindex", JAVA_INT, ADDRESS);
    }

    static final class Sendmsg {
        static final MethodHandle HANDLE = handle("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Recvmsg {
        static final MethodHandle HANDLE = handle("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Flock {
        static final MethodHandle HANDLE = handle("flock", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Poll {
        static final MethodHandle HANDLE = handle("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    }

    static final class Open {
        static final MethodHandle HANDLE = handle("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    }

    static final class Mkfifo {
        static final MethodHandle HANDLE = handle("mkfifo", JAVA_INT, ADDRESS, JAVA_INT);
    }

    static final class Kill {
        static final MethodHandle HANDLE = handle("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Sigaction {
        static final MethodHandle HANDLE = handle("sigaction", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    }

    static final class Tgkill {
        static final MethodHandle HANDLE = handle("tgkill", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Dup2 {
        static final MethodHandle HANDLE = handle("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class EpollCreate1 {
        static final MethodHandle HANDLE = handle("epoll_create1", JAVA_INT, JAVA_INT);
    }

    static final class Eventfd {
        static final MethodHandle HANDLE = handle("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class Read {
        static final MethodHandle HANDLE = handle("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    }

    static final class Write {
        static final MethodHandle HANDLE = handle("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    }

    static final class EpollCtl {
        static final MethodHandle HANDLE = handle("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    }

    static final class EpollWait {
        static final MethodHandle HANDLE = handle("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    }

    static final class Geteuid {
        static final MethodHandle HANDLE = LINKER.downcallHandle( LINKER.defaultLookup().find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    }

    static final class FcntlGet {
        static final MethodHandle HANDLE = handle("fcntl", JAVA_INT, JAVA_INT, JAVA_INT);
    }

    static final class FcntlSet {
        static final MethodHandle HANDLE = LINKER.downcallHandle( LINKER.defaultLookup().find("fcntl").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE, Linker.Option.firstVariadicArg(2));
    }

    private static final class Strerror {
        static final MethodHandle HANDLE = LINKER.downcallHandle( LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Native() {
    }

    /** A downcall whose first argument is the captured-state segment (where errno lands). */
    private static MethodHandle handle(String name, java.lang.foreign.MemoryLayout result,
                                       java.lang.foreign.MemoryLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), CAPTURE);
    }

    /** Allocates the segment that a captured call writes errno into. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** The C library's text for an errno value, e.g. "Address already in use". */
    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    /** Turns a failed call into the module's exception. */
    static PosixException failure(String call, MemorySegment callState) {
        int errno = errno(callState);
        return new PosixException(call, errno, describe(errno));
    }

    /** Rethrows what a downcall threw, which can only be an error of the FFM machinery. */
    static RuntimeException unexpected(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }
}
