package dev.berth.mesh;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.Fifo;
import dev.berth.posix.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The proxy's doorbell, as a process that wrote a request rings it: the header's waiter word
 * ({@link SlotDescriptor}) says how the proxy sleeps, and only a sleeping proxy is woken.
 *
 * <pre>
 *   word  the reader                                   a writer, after publishing (full fence)
 *   0     awake: reads the slots before it sleeps      nothing
 *   1     sleeps on the word (futex, {@link Wakeup})   CAS 1 -&gt; 0, FUTEX_WAKE
 *   2     sleeps in its event loop's epoll_wait        CAS 2 -&gt; 0, one byte into the pipe
 * </pre>
 *
 * The pipe is the named pipe {@link #pipe} beside the slot file, which the proxy keeps open in its
 * event loop's epoll set: so the thread that reads the slots is the one that writes to the peers,
 * and a call crosses no thread between its slot and its connection (docs/adr/0029).
 *
 * <p>One per {@link SlotFile} in a process; thread-safe; never blocks. {@link #close} closes the
 * pipe's descriptor.
 */
final class Doorbell implements AutoCloseable {

    static final int AWAKE = 0;
    static final int FUTEX = 1;
    static final int POLL = 2;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment word;
    private final Path pipe;
    /** The pipe opened for writing, -1 until a ring needs it (or after the proxy closed its end). */
    private int fd = -1;
    private boolean closed;

    Doorbell(MemorySegment word, Path pipe) {
        this.word = word;
        this.pipe = pipe;
    }

    /** The named pipe of the slot file at {@code slotFile}. */
    static Path pipe(Path slotFile) {
        return slotFile.resolveSibling(slotFile.getFileName() + ".bell");
    }

    /**
     * Wakes the proxy if it announced that it sleeps. Call after the record is published.
     *
     * @return whether it was asleep (and a system call was made)
     */
    boolean ring() {
        VarHandle.fullFence();
        int how = (int) INT.getVolatile(word, 0L);
        if (how == AWAKE || !INT.compareAndSet(word, 0L, how, AWAKE)) {
            return false;
        }
        if (how == FUTEX) {
            Futex.wake(word, Integer.MAX_VALUE);
        } else {
            poke();
        }
        return true;
    }

    /**
     * Proxy, on its event loop: announces that it is about to sleep in {@code epoll_wait}; the
     * caller then looks at the slots once more before it sleeps.
     */
    void sleeping() {
        INT.setVolatile(word, 0L, POLL);
    }

    /** Proxy, on its event loop: it is awake and reads the slots before it sleeps again. */
    void awake() {
        INT.setVolatile(word, 0L, AWAKE);
    }

    private synchronized void poke() {
        if (closed) {
            return;
        }
        if (fd < 0) {
            fd = Fifo.openWriter(pipe);
        }
        // no pipe, or nobody reads it any more: the proxy is gone, and its successor reads the
        // slots when it starts; the next ring opens the pipe again
        if (fd >= 0 && !Fifo.poke(fd)) {
            FileDescriptors.close(fd);
            fd = -1;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (fd >= 0) {
            FileDescriptors.close(fd);
            fd = -1;
        }
    }
}
