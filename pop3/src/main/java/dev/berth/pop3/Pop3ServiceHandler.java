package dev.berth.pop3;

import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.Users;
import dev.berth.service.RequestCounter;
import dev.berth.service.OpenConnections;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code pop3} service in one worker. Each accepted connection gets
 * {@code IdleStateHandler → Pop3Decoder → Pop3ReplyEncoder → Pop3ConnectionHandler}, and
 * {@code SslHandler} in front after STLS. Blocking work of every connection (logins, the Maildir)
 * runs on virtual threads, one connection's work in order.
 *
 * <p>Threads: {@link #initChannel} on the connection's event loop, {@link #close} on the worker's
 * control thread; neither blocks. Ownership: the handler owns the virtual-thread executor and
 * shuts it down in {@link #close}, after closing the open connections (which releases their
 * maildrop locks without deleting anything).
 */
final class Pop3ServiceHandler implements ServiceHandler {

    private final Pop3Settings settings;
    private final Maildrops maildrops;
    private final Optional<SslContext> tls;
    private final RequestCounter requests;
    private final ExecutorService blocking =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pop3-", 0).factory());
    private final OpenConnections channels = new OpenConnections();
    private final AtomicBoolean closed = new AtomicBoolean();

    Pop3ServiceHandler(Pop3Settings settings, Maildrops maildrops, Optional<SslContext> tls, RequestCounter requests) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maildrops = Objects.requireNonNull(maildrops, "maildrops");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    /**
     * Loads the users file and the TLS identity; blocking, on the worker's start-up thread.
     *
     * @throws UncheckedIOException when a file cannot be read or parsed
     */
    static Pop3ServiceHandler create(Pop3Settings settings, ServiceContext context) {
        try {
            Users users = Users.load(settings.users());
            Optional<SslContext> tls = settings.tls().isPresent()
                    ? Optional.of(settings.tls().get().serverContext()) : Optional.empty();
            Maildrops maildrops = new MaildirMaildrops(users, MaildirStore.at(settings.maildir()),
                    settings.loginDelay(), java.time.Clock.systemUTC());
            return new Pop3ServiceHandler(settings, maildrops, tls, context.requests());
        } catch (IOException e) {
            throw new UncheckedIOException("pop3 service " + context.serviceName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void initChannel(Channel channel) {
        Pop3Session session = new Pop3Session(maildrops, SessionPolicy.of(settings));
        Pop3Decoder decoder = new Pop3Decoder();
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(true, 0, 0,
                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("decoder", decoder)
                .addLast("encoder", Pop3ReplyEncoder.INSTANCE)
                .addLast("pop3", new Pop3ConnectionHandler(this, session, decoder, new SerialExecutor(blocking)));
        channels.add(channel);
    }

    /**
     * Marks the service draining and tells each connection, on its own event loop: those not
     * logged in close with {@code -ERR [SYS/TEMP]} between commands; logged-in sessions go on to
     * their QUIT (or idle timeout), so that their deletions are committed.
     */
    @Override
    public void onDrain() {
        channels.drain();
    }

    boolean isDraining() {
        return channels.draining();
    }

    Optional<SslContext> tls() {
        return tls;
    }

    RequestCounter requests() {
        return requests;
    }

    /** Closes every open connection (without waiting) and stops the executor. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channels.close();
        blocking.shutdown();
    }
}
