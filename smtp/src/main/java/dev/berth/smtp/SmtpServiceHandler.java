package dev.berth.smtp;

import dev.berth.maildir.MailUser;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.Users;
import dev.berth.scan.ScanChain;
import dev.berth.service.DrainEvent;
import dev.berth.service.OpenConnections;
import dev.berth.scoreboard.CounterFamily;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One {@code smtp} service in one worker: the loaded users, the Maildir store, the scanner chain,
 * the TLS context and the per-client connection counts (per worker process, not across workers).
 * Each accepted connection gets {@code SmtpEncoder, SmtpDecoder, SmtpConnectionHandler} and its own
 * {@link SmtpSession} and transport. Blocking session work runs on virtual threads.
 *
 * <p>Threads: {@link #initChannel} on the connection's event loop; {@link #onDrain} and
 * {@link #close} on the worker's control thread. None blocks. Owns the chain and the executor.
 */
final class SmtpServiceHandler implements ServiceHandler {

    private final SmtpSettings settings;
    private final ServiceContext context;
    private final SmtpEncoder encoder;
    private final Optional<Users> users;
    private final Optional<MaildirStore> store;
    private final ScanChain chain;
    private final Optional<SslContext> tls;
    private final InstantSource clock;
    private final Path spoolDir;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("smtp-", 0).factory());
    private final OpenConnections channels = new OpenConnections();
    private final ConcurrentMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long pid = ProcessHandle.current().pid();
    private final SessionConfig sessionConfig;

    private SmtpServiceHandler(SmtpSettings settings, ServiceContext context, Optional<Users> users,
            Optional<SslContext> tls, InstantSource clock, Path spoolDir) {
        this.settings = settings;
        this.context = context;
        this.users = users;
        this.store = settings.maildir().map(MaildirStore::at);
        this.chain = settings.scan().newChain((scanner, verdict) -> context.counters()
                .counter(CounterFamily.SCAN_VERDICTS, context.serviceName(), scanner, verdict).increment());
        this.encoder = new SmtpEncoder(context.serviceName(), context.counters());
        this.tls = tls;
        this.clock = clock;
        this.spoolDir = spoolDir;
        this.sessionConfig = sessionConfig();
    }

    /**
     * Loads the users file and the TLS identity. Blocking.
     *
     * @throws UncheckedIOException when a file cannot be read
     */
    static SmtpServiceHandler create(SmtpSettings settings, ServiceContext context, InstantSource clock) {
        try {
            Optional<Users> users = settings.users().isPresent() ? Optional.of(Users.load(settings.users().get())) : Optional.empty();
            Optional<SslContext> tls = settings.tls().isPresent() ? Optional.of(settings.tls().get().serverContext()) : Optional.empty();
            Path spool = settings.maildir().map(m -> m.resolve(".spool"))
                    .orElse(Path.of(System.getProperty("java.io.tmpdir"), "berth-smtp-spool"));
            return new SmtpServiceHandler(settings, context, users, tls, clock, spool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void initChannel(Channel channel) {
        InetAddress client = address(channel.remoteAddress());
        AtomicInteger count = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        int open = count.incrementAndGet();
        channel.closeFuture().addListener(f -> {
            if (count.decrementAndGet() == 0) {
                perClient.remove(client, count);
            }
        });
        SmtpDecoder decoder = new SmtpDecoder();
        SmtpSession session = newSession(client);
        channel.pipeline().addLast("encoder", encoder).addLast("decoder", decoder);
        if (open > settings.limits().connectionsPerClient()) {
            channel.pipeline().addLast("refuse", new RefuseHandler(SmtpReply.of(421, "4.7.0",
                    settings.hostname() + " Too many connections from your address")));
            return;
        }
        channel.pipeline().addLast("smtp", new SmtpConnectionHandler(session, decoder, tls, executor,
                settings.limits().idleTimeout(), settings.limits().dataTimeout(), context.requests()));
        channels.add(channel);
        if (channels.draining()) {
            channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }

    SmtpSession newSession(InetAddress client) {
        boolean trusted = settings.relayNetworks().stream().anyMatch(n -> n.contains(client));
        return new SmtpSession(sessionConfig, client.getHostAddress(), trusted, newTransport(),
                (login, password) -> users.flatMap(u -> u.authenticate(login, password)).map(MailUser::address),
                this::nextId, spoolDir);
    }

    private SessionConfig sessionConfig() {
        Predicate<String> local = settings.domains().isEmpty()
                ? d -> users.map(u -> u.hasDomain(d)).orElse(false)
                : settings.domains()::contains;
        String postmasterDomain = settings.domains().stream().findFirst().orElse(settings.hostname());
        return new SessionConfig(settings.hostname(), settings.greeting(), settings.limits().messageSize(),
                settings.limits().recipients(), settings.limits().errors(), settings.limits().errorDelay(),
                tls.isPresent(), users.isPresent(), settings.authRequiresTls(), local,
                settings.deliver() == SmtpSettings.Deliver.RELAY || settings.relayTo().isPresent(),
                "postmaster@" + postmasterDomain.toLowerCase(Locale.ROOT),
                settings.deliver() == SmtpSettings.Deliver.RELAY);
    }

    private Transport newTransport() {
        TraceHeaders trace = new TraceHeaders(settings.hostname(), clock);
        ScanStep scan = new ScanStep(chain, settings.onVirus());
        Optional<Quarantine> quarantine = settings.quarantine().map(q -> new Quarantine(q, trace));
        RelayTransport.Factory relay = settings.relayTo().map(to -> new RelayTransport.Factory(to, settings.hostname(), scan, quarantine)).orElse(null);
        if (settings.deliver() == SmtpSettings.Deliver.RELAY) {
            return relay.open();
        }
        Transport local = new MaildirTransport(users.orElseThrow(), store.orElseThrow(), scan, trace, quarantine);
        return relay == null ? local : new RoutingTransport(local, relay);
    }

    private String nextId() {
        return Long.toString(clock.millis(), 36).toUpperCase(Locale.ROOT) + "." + pid + "." + sequence.incrementAndGet();
    }

    private static InetAddress address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    /** Open connections of this service in this worker (counted per client address). */
    int openConnections() {
        return perClient.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Connections that get 421 4.3.2 at their next command outside a transaction. */
    @Override
    public void onDrain() {
        channels.drain();
    }

    /** Closes every connection, the executor (without waiting) and the scanner chain. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channels.close();
        executor.shutdown();
        chain.close();
    }
}
