package dev.berth.it;

import dev.berth.testpeers.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady echo load: {@code clients} threads, each opening a connection, sending a line, reading
 * it back, and closing, over and over until {@link #stop}. Every connection is bounded (connect
 * 3 s, read 10 s) and recorded as a success or as a failure with its kind and time.
 */
final class EchoLoad implements AutoCloseable {

    /** How a connection failed: before the server took it (refused, connect timeout) or after. */
    enum Kind { CONNECT_REFUSED, CONNECT_TIMEOUT, RESET_OR_EOF, READ_TIMEOUT, WRONG_ECHO }

    record Failure(Kind kind, long atNanos, long startedNanos, String detail) {
    }

    private final InetSocketAddress address;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong slowest = new AtomicLong();
    private volatile boolean running = true;

    EchoLoad(int port, int clients) {
        this.address = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().name("echo-load-" + i).start(() -> loop(client)));
        }
    }

    private void loop(int client) {
        long n = 0;
        while (running) {
            once("client " + client + " message " + n++ + "\n");
        }
    }

    private void once(String line) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(address, 3000);
            } catch (ConnectException e) {
                fail(Kind.CONNECT_REFUSED, started, e);
                return;
            } catch (SocketTimeoutException e) {
                fail(Kind.CONNECT_TIMEOUT, started, e);
                return;
            }
            socket.setSoTimeout(10_000);
            byte[] sent = line.getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(sent);
            byte[] got = readFully(socket.getInputStream(), sent.length);
            if (got == null) {
                fail(Kind.RESET_OR_EOF, started, new IOException("end of stream"));
            } else if (!new String(got, StandardCharsets.US_ASCII).equals(line)) {
                fail(Kind.WRONG_ECHO, started, new IOException("got " + new String(got, StandardCharsets.US_ASCII)));
            } else {
                successes.incrementAndGet();
                slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
            }
        } catch (SocketTimeoutException e) {
            fail(Kind.READ_TIMEOUT, started, e);
        } catch (IOException e) {
            fail(Kind.RESET_OR_EOF, started, e);
        }
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] buffer = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                return null;
            }
            read += n;
        }
        return buffer;
    }

    private void fail(Kind kind, long started, Exception e) {
        failures.add(new Failure(kind, System.nanoTime(), started, e.toString()));
    }

    long successes() {
        return successes.get();
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The longest successful connection, in milliseconds. */
    long slowestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowest.get());
    }

    /** Waits until at least {@code more} further connections succeeded (bounded). */
    void awaitSuccesses(long more, long timeoutMillis) {
        long target = successes.get() + more;
        if (!Await.until(Duration.ofMillis(timeoutMillis), Duration.ofMillis(10), () -> successes.get() >= target)) {
            throw new AssertionError("only " + (successes.get() - target + more) + " of " + more
                    + " connections succeeded in " + timeoutMillis + " ms; failures " + failures());
        }
    }

    /** Stops the clients and waits for them. */
    void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
