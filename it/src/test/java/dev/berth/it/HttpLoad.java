package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that each send one HTTP request per connection to one address, in a loop, until
 * stopped, and check the body. Every connect and read is bounded (5 s).
 */
final class HttpLoad implements AutoCloseable {

    /** One failed request: when it started (System.nanoTime) and why. */
    record Failure(long startedNanos, String why) {
    }

    private final String host;
    private final int port;
    private final String expected;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong successes = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param expected what the body must be
     */
    HttpLoad(String host, int port, String expected, int clients) {
        this.host = host;
        this.port = port;
        this.expected = expected;
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().daemon().name("http-load-" + i).start(this::loop));
        }
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            try {
                String body = get();
                if (body.equals(expected)) {
                    successes.incrementAndGet();
                } else {
                    failures.add(new Failure(started, "body " + body));
                }
            } catch (IOException e) {
                failures.add(new Failure(started, e.toString()));
            }
        }
    }

    private String get() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? response : response.substring(body + 4);
        }
    }

    long successes() {
        return successes.get();
    }

    List<Failure> failures() {
        return failures;
    }

    /** Waits (bounded) until {@code n} more requests succeeded. */
    void awaitSuccesses(long n, long timeoutMillis) {
        long target = successes.get() + n;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (successes.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(host + ": " + (successes.get() - target + n) + " of " + n
                        + " requests in " + timeoutMillis + " ms; failures " + failures);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    /** Stops the clients and waits for them. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
