package dev.berth.child;

import dev.berth.control.FatalErrors;
import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;

/**
 * Entry point of every child JVM the master starts, whatever its role (see {@link ChildRole}):
 * parses {@link ChildArguments}, sets the log line format ({@code <time> <level> <role> pid=<pid>
 * <logger>: <message>}, on stderr, which is the master's log), attaches to the master ({@link
 * Child#attach}) and runs the role. Exit status: the role's (0 after a drain or when the master is
 * gone), 1 when start-up or the role failed (the reason is logged, and told to the master once
 * attached), {@value FatalErrors#EXIT_STATUS} after an Error anywhere in the process ({@link
 * FatalErrors}).
 */
public final class ChildMain {

    /** Monotonic milliseconds: {@code System.nanoTime() / 1_000_000}, the scoreboard's heartbeat clock. */
    public static final LongSupplier MONOTONIC_MILLIS = () -> System.nanoTime() / 1_000_000;

    private ChildMain() {
    }

    /**
     * Runs the child until its role returns.
     *
     * @param args {@code --role NAME --control PATH --scoreboard PATH --slot N --token T}
     */
    public static void main(String[] args) {
        FatalErrors.install();
        int status;
        try {
            ChildArguments arguments = ChildArguments.parse(args);
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s "
                    + arguments.role() + " pid=" + ProcessHandle.current().pid() + " %3$s: %5$s%6$s%n");
            status = run(arguments);
        } catch (Throwable e) {
            if (FatalErrors.isFatal(e)) {
                FatalErrors.exit("the child's main thread", e);
            }
            System.getLogger(ChildMain.class.getName()).log(Level.ERROR, "child failed", e);
            status = 1;
        }
        System.exit(status);
    }

    private static int run(ChildArguments arguments) throws InterruptedException {
        ChildRole role = ChildRoles.named(arguments.role());
        try (Child child = Child.attach(arguments, MONOTONIC_MILLIS, role::prepare)) {
            try {
                return role.serve(child);
            } catch (RuntimeException e) {
                child.control().fail(e);
                throw e;
            }
        }
    }
}
