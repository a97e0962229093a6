package dev.berth.master;

import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.MasterConfig;
import dev.berth.posix.Processes;
import dev.berth.tenancy.AddressBook;
import dev.berth.tenancy.Interfaces;
import dev.berth.posix.StandardStreams;
import java.time.InstantSource;
import dev.berth.scoreboard.ClientTable;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.service.ServiceKinds;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import sun.misc.Signal;

/**
 * The master process: binds every listener, starts and supervises the workers (and the
 * dispatchers of handoff pools), and answers the command line, until it is stopped. {@code berth
 * run} calls {@link #run} on the JVM's main thread.
 *
 * <p>Files in the run directory: {@code berth.sock} (CLI, 0600), {@code worker.sock} (workers and
 * dispatchers), {@code dispatch-<pool>-<generation>.sock} (handoff pools: workers link to their
 * dispatcher there), {@code scoreboard}, {@code berth.pid};
 * with a mesh section, {@code mesh-slots} and the directory
 * {@code mesh} (the proxy's status socket). Children start with the class-data archive beside the jar
 * ({@link JavaCommand}). Signals: HUP reloads, TERM stops gracefully, INT stops at
 * once.
 */
public final class Master {

    private static final System.Logger LOG = System.getLogger(Master.class.getName());
    /** Scoreboard slots: enough for every worker of a large host, through reloads. */
    static final int SLOTS = 1024;

    private Master() {
    }

    /** The log line format shared by the master's threads: time, level, source, message. */
    public static void configureLogging(String who) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$s " + who + " %3$s: %5$s%6$s%n");
    }

    /**
     * Runs a master for {@code configFile} until it is stopped.
     *
     * @return the exit status: 0 after a stop
     * @throws dev.berth.config.ConfigException when the config is invalid
     * @throws MasterException when it cannot start (already running, address in use, no such user,
     *     a pool whose workers all die before one is ready)
     */
    public static int run(Path configFile) throws IOException, InterruptedException {
        return run(configFile, Optional.empty(), AdminPlane.Factory.NONE);
    }

    /**
     * Runs a master for {@code configFile} until it is stopped.
     *
     * @param logFile where standard output and error go (reopened on SIGUSR1, for log rotation);
     *     empty to keep them (journald, a terminal)
     * @param admin starts the admin plane when the config has {@code master.admin}
     * @return the exit status: 0 after a stop
     * @throws dev.berth.config.ConfigException when the config is invalid
     * @throws MasterException when it cannot start (already running, address in use, no such user)
     */
    public static int run(Path configFile, Optional<Path> logFile, AdminPlane.Factory admin)
            throws IOException, InterruptedException {
        if (logFile.isPresent()) {
            StandardStreams.redirect(logFile.get());
        }
        ServiceKinds kinds = ServiceKinds.installed();
        HostConfig config = ConfigLoader.load(configFile.toAbsolutePath(), kinds.names());
        kinds.settings(config);
        MasterConfig m = config.master();
        LogLines.use(m.logFormat());
        Files.createDirectories(m.runDir());
        Files.createDirectories(m.logDir());
        Path cliSocket = m.runDir().resolve("berth.sock");
        if (MasterClient.reachable(cliSocket)) {
            throw new MasterException("a master is already running on " + cliSocket);
        }
        ChildUsers users = new ChildUsers(PASSWD, Processes.effectiveUid() == 0);
        TenantPlane tenants = new TenantPlane(users, new AddressBook(m.runDir().resolve("addresses"),
                Interfaces.NETLINK, System::currentTimeMillis));
        tenants.accept(config);
        Optional<UnixUser> user = users.master();
        List<Path> meshFiles = MeshProxyChild.prepare(config);
        LongSupplier clock = () -> System.nanoTime() / 1_000_000;
        Optional<String> gaveUp;
        try (Scoreboard scoreboard = Scoreboard.create(m.runDir().resolve("scoreboard"), SLOTS);
             ClientTable clients = ClientTable.create(m.runDir().resolve("clients"), ClientTable.DEFAULT_ENTRIES);
             Listeners listeners = new Listeners();
             DispatchSockets dispatchSockets = new DispatchSockets(m.runDir(), users)) {
            SystemdNotifier notifier = new SystemdNotifier(Optional.ofNullable(System.getenv("NOTIFY_SOCKET")),
                    () -> System.nanoTime() / 1_000);
            MasterLoop loop = new MasterLoop(kinds, listeners, clock, notifier);
            loop.migrateIfReuseport(config);
            listeners.reconcile(config);
            Path workerSocket = m.runDir().resolve("worker.sock");
            Spawner spawner = new Spawner(workerSocket, m.runDir().resolve("scoreboard"), users);
            ProcessSupervisor supervisor = new ProcessSupervisor(config,
                    new ProcessSupervisor.Children(spawner, dispatchSockets, new MasterEvents(InstantSource.system()),
                            tenants::tenancy),
                    scoreboard, listeners, clock);
            loop.supervisor(supervisor, tenants);
            try (ControlServer control = new ControlServer(workerSocket, supervisor.channels(), loop::post,
                    supervisor::awaitsConnection, clock);
                 CliServer cli = new CliServer(cliSocket, loop::answer);
                 AdminPlane plane = startAdmin(m, admin, loop)) {
                if (user.isPresent()) {
                    List<Path> shared = new ArrayList<>(List.of(workerSocket, m.runDir().resolve("scoreboard"),
                            m.runDir().resolve("clients")));
                    shared.addAll(meshFiles);
                    handOver(user.get(), m.runDir(), shared.toArray(Path[]::new));
                }
                if (users.mixed()) {
                    // tenant groups' workers run as their own users: they connect here too, proven by
                    // their token and pid, not by the file's owner
                    Files.setPosixFilePermissions(workerSocket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
                }
                Path pidFile = m.runDir().resolve("berth.pid");
                Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
                handleSignals(loop, logFile);
                LOG.log(Level.INFO, "master pid " + ProcessHandle.current().pid() + " serving " + config.file()
                        + (user.map(u -> " with workers as " + u.name()).orElse("")));
                gaveUp = loop.run();
                Files.deleteIfExists(pidFile);
            }
        }
        if (gaveUp.isPresent()) {
            throw new MasterException(gaveUp.get());
        }
        LOG.log(Level.INFO, "stopped");
        return 0;
    }

    /** The password database children's users come from. */
    static final Path PASSWD = Path.of("/etc/passwd");

    /** Whether a user name or numeric id is in the password database (for {@code berth check} too). */
    public static boolean knownUser(String nameOrId) {
        try {
            return UnixUser.lookup(nameOrId, PASSWD).isPresent();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + PASSWD, e);
        }
    }

    /** Lets workers running as {@code user} reach the run directory, their socket and the scoreboard. */
    private static void handOver(UnixUser user, Path runDir, Path... files) throws IOException {
        UserPrincipalLookupService names = runDir.getFileSystem().getUserPrincipalLookupService();
        for (Path file : files) {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            view.setOwner(names.lookupPrincipalByName(user.name()));
            GroupPrincipal group = names.lookupPrincipalByGroupName(Integer.toString(user.gid()));
            view.setGroup(group);
        }
    }

    /** The admin plane when the config asks for one; a plane that does nothing otherwise. */
    private static AdminPlane startAdmin(MasterConfig m, AdminPlane.Factory factory, MasterLoop loop)
            throws IOException {
        if (m.admin().isEmpty()) {
            return new AdminPlane() {
                public String address() {
                    return "";
                }

                public void close() {
                }
            };
        }
        AdminPlane plane = factory.start(m.admin().get(), loop);
        loop.admin(plane.address());
        LOG.log(Level.INFO, "admin plane on http://" + plane.address() + "/");
        return plane;
    }

    private static void handleSignals(MasterLoop loop, Optional<Path> logFile) {
        List<Integer> ignored = Processes.unignore(Processes.SIGHUP, Processes.SIGINT, Processes.SIGTERM,
                Processes.SIGQUIT, Processes.SIGUSR1);
        if (!ignored.isEmpty()) {
            LOG.log(Level.INFO, String.join(", ", ignored.stream().map(Processes::name).toList())
                    + " ignored when berth started (nohup, a background job):"
                    + " taken back, so that HUP reloads, INT and TERM stop, and the workers can dump their threads");
        }
        // USR1 reopens the log (rotation); without a log file there is nothing to reopen, but the
        // signal must still not kill the master (its default action)
        Signal.handle(new Signal("USR1"), s -> logFile.ifPresentOrElse(file -> {
            StandardStreams.redirect(file);
            LOG.log(Level.INFO, "log reopened: " + file);
        }, () -> LOG.log(Level.INFO, "SIGUSR1: logging to standard error, nothing to reopen")));
        Signal.handle(new Signal("HUP"), s -> loop.post(() -> {
            try {
                loop.reload();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SIGHUP reload failed: " + e.getMessage());
            }
        }));
        Signal.handle(new Signal("TERM"), s -> loop.post(() -> loop.stop(false)));
        Signal.handle(new Signal("INT"), s -> loop.post(() -> loop.stop(true)));
    }
}
