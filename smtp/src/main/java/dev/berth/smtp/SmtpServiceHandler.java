package dev.berth.smtp;

import dev.berth.maildir.Authentication;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.Users;
import dev.berth.scan.ScanChain;
import dev.berth.scan.Spool;
import dev.berth.scoreboard.ClientTable;
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

    private static final System.Logger LOG = System.getLogger(SmtpServiceHandler.class.getName());

    private final SmtpSettings settings;
    private final ServiceContext context;
    private final SmtpEncoder encoder;
    private final Optional<Users> users;
    private final Optional<MaildirStore> store;
    private final ScanChain chain;
    private final Optional<SslContext> tls;
    private final InstantSource clock;
    private final Spool spool;
    private final ClientTable clientTable;
    private final AuthThrottle authThrottle;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("smtp-", 0).factory());
    private final OpenConnections channels = new OpenConnections();
    private final ConcurrentMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long pid = ProcessHandle.current().pid();
    private final SessionConfig sessionConfig;

    /** What {@link #create} opened: files read, the spool, the client table. */
    private record Opened(Optional<Users> users, Optional<SslContext> tls, Spool spool, ClientTable clientTable) {
    }

    private SmtpServiceHandler(SmtpSettings settings, ServiceContext context, InstantSource clock, Opened opened) {
        this.settings = settings;
        this.context = context;
        this.users = opened.users();
        this.store = settings.maildir().map(MaildirStore::at);
        this.chain = settings.scan().newChain((scanner, verdict) -> context.counters()
                .counter(CounterFamily.SCAN_VERDICTS, context.serviceName(), scanner, verdict).increment());
        this.encoder = new SmtpEncoder(context.serviceName(), context.counters());
        this.tls = opened.tls();
        this.clock = clock;
        this.spool = opened.spool();
        this.clientTable = opened.clientTable();
        this.authThrottle = new AuthThrottle(clientTable, context.serviceName(), settings.limits().authFailures(),
                settings.limits().authFailureWindow(), () -> System.nanoTime() / 1_000_000_000L);
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
            Spool spool = settings.maildir().map(m -> Spool.open(m.resolve(".spool"))).orElseGet(Spool::openDefault);
            SmtpServiceHandler handler = new SmtpServiceHandler(settings, context, clock,
                    new Opened(users, tls, spool, clientTable(settings, context)));
            handler.checkPostmaster();
            return handler;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host's client table, or this process's own when there is none to map (logged). */
    private static ClientTable clientTable(SmtpSettings settings, ServiceContext context) {
        if (settings.clientTable().isPresent()) {
            try {
                return ClientTable.open(settings.clientTable().get());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, context.serviceName() + ": cannot map the client table ("
                        + e.getMessage() + "): failed AUTH is counted per worker");
            }
        }
        return ClientTable.inMemory(1024);
    }

    /**
     * A configured postmaster must be a mailbox here (maildir delivery); a default one that is not
     * is logged, since RFC 5321 4.5.1 wants {@code <postmaster>} accepted.
     *
     * @throws IllegalArgumentException when {@code postmaster:} names no user of the users file
     */
    private void checkPostmaster() {
        if (settings.deliver() != SmtpSettings.Deliver.MAILDIR) {
            return;
        }
        String mailbox = sessionConfig.postmaster().mailbox("");
        if (users.orElseThrow().find(mailbox).isPresent()) {
            return;
        }
        if (settings.postmaster().isPresent()) {
            throw new IllegalArgumentException("smtp.postmaster: " + mailbox + " is no user of " + settings.users().orElseThrow());
        }
        LOG.log(System.Logger.Level.WARNING, context.serviceName() + ": " + mailbox + " is no user of "
                + settings.users().orElseThrow() + ", so RCPT TO:<postmaster> gets 550 (RFC 5321 4.5.1 wants it"
                + " accepted): set smtp.postmaster to a local user");
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
                authenticator(authThrottle.forClient(client)), this::nextId, spool);
    }

    /** Checks passwords for one client, refusing it after too many failures across the host. */
    private Authenticator authenticator(AuthThrottle.Guard guard) {
        return new Authenticator() {
            @Override
            public Authentication authenticate(String login, String password) {
                if (guard.refuses()) {
                    return new Authentication.Busy();
                }
                Authentication result = users.map(u -> u.authenticate(login, password)).orElseGet(Authentication.Refused::new);
                if (result instanceof Authentication.Refused) {
                    guard.failed();
                }
                return result;
            }

            @Override
            public boolean mayTry() {
                return !guard.refuses();
            }
        };
    }

    private SessionConfig sessionConfig() {
        Predicate<String> local = settings.domains().isEmpty()
                ? d -> users.map(u -> u.hasDomain(d)).orElse(false)
                : settings.domains()::contains;
        Postmaster postmaster = new Postmaster(settings.postmaster(),
                settings.domains().stream().findFirst().orElse(settings.hostname()).toLowerCase(Locale.ROOT));
        return new SessionConfig(settings.hostname(), settings.greeting(), settings.limits().messageSize(),
                settings.limits().recipients(), settings.limits().errors(), settings.limits().errorDelay(),
                tls.isPresent(), users.isPresent(), settings.authRequiresTls(), local,
                settings.deliver() == SmtpSettings.Deliver.RELAY || settings.relayTo().isPresent(),
                postmaster,
                settings.deliver() == SmtpSettings.Deliver.RELAY);
    }

    private Transport newTransport() {
        TraceHeaders trace = new TraceHeaders(settings.hostname(), clock);
        ScanStep scan = new ScanStep(chain, settings.onVirus());
        Optional<Quarantine> quarantine = settings.quarantine().map(q -> new Quarantine(q, trace));
        RelayTransport.Factory relay = settings.relayTo().map(to -> new RelayTransport.Factory(to, settings.hostname(), scan, quarantine, context.outbound())).orElse(null);
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

    /** Closes every connection, the executor (without waiting), the scanner chain and the spool. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channels.close();
        executor.shutdown();
        chain.close();
        spool.close();
        clientTable.close();
    }
}
