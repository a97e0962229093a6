package dev.berth.master;

import dev.berth.child.ChildArguments;
import dev.berth.child.ChildMain;
import dev.berth.config.AcceptStrategy;
import dev.berth.config.PoolConfig;
import dev.berth.posix.SharedMappings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts child JVMs of every role: the same class path and Java as the master, the pool's JVM
 * options, the one child main class, and the {@link ChildArguments} that tell a child its role and
 * where its master and slot are. When the master runs as root and
 * the config names a user, the worker is exec'd through {@code setpriv} as that user, so no JVM
 * thread ever runs as root in a worker (a multi-threaded JVM cannot drop privileges itself).
 *
 * <p>Children write their stdout and stderr into one pipe that the master copies into its log
 * ({@link ChildOutput}), so their logs and SIGQUIT thread dumps land there, attributed, even after
 * the log was rotated. Called from the supervisor thread; {@link #spawn} blocks for the fork/exec only.
 */
final class Spawner {

    private final Path controlSocket;
    private final Path scoreboard;
    private final ChildUsers users;

    /**
     * @param controlSocket the socket children connect to
     * @param scoreboard the scoreboard file
     * @param users the account each pool's children run as, when the master is root
     */
    Spawner(Path controlSocket, Path scoreboard, ChildUsers users) {
        this.controlSocket = controlSocket;
        this.scoreboard = scoreboard;
        this.users = users;
    }

    /**
     * Starts a worker or dispatcher for {@code slot}.
     *
     * @param spare whether it is a spare worker, to be promoted later (it prepares meanwhile)
     * @throws IOException when the process cannot be started
     */
    Process spawn(PoolConfig pool, int slot, long token, Role role, boolean spare) throws IOException {
        if (pool.accept() == AcceptStrategy.MUTEX) {
            prepareLock(controlSocket.resolveSibling("accept-" + pool.name() + ".lock"), users.of(pool));
        }
        return new ProcessBuilder(command(pool, slot, token, role, spare))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .start();
    }

    /** The mutex pool's lock file: the worker opens it, so it must exist and be the worker user's. */
    private static void prepareLock(Path lock, Optional<UnixUser> user) throws IOException {
        if (!Files.exists(lock)) {
            Files.createFile(lock);
        }
        if (user.isPresent()) {
            Files.setAttribute(lock, "unix:uid", user.get().uid());
            Files.setAttribute(lock, "unix:gid", user.get().gid());
        }
    }

    List<String> command(PoolConfig pool, int slot, long token, Role role, boolean spare) {
        List<String> command = new ArrayList<>();
        Path board = scoreboard;
        List<String> inherited = List.of();
        if (users.of(pool).isPresent() && !users.of(pool).equals(users.master())) {
            // a tenant group's user may not open the scoreboard and the client table (0600,
            // master.user's): a shell, still the master's user, opens them as descriptors 3 and 4,
            // then becomes the worker, which maps them as they are (SharedMappings, docs/adr/0013)
            Path clients = scoreboard.resolveSibling("clients");
            command.addAll(List.of("/bin/sh", "-c", "exec 3<>\"$0\" 4<>\"$1\" && shift && exec \"$@\"",
                    scoreboard.toString(), clients.toString()));
            board = Path.of("/dev/fd/3");
            inherited = List.of("-D" + SharedMappings.INHERITED + "=" + clients.toAbsolutePath() + "=4");
        }
        users.of(pool).ifPresent(u -> command.addAll(List.of("setpriv", "--reuid=" + u.uid(), "--regid=" + u.gid(),
                "--init-groups", "--")));
        List<String> options = new ArrayList<>(pool.jvmOptions());
        options.addAll(inherited);
        command.addAll(JavaCommand.child(options));
        command.add(ChildMain.class.getName());
        command.addAll(new ChildArguments(role.childName(), controlSocket, board, slot, token, spare).toArgs());
        return command;
    }
}
