package dev.berth.dispatcher;

/**
 * Entry point of a dispatcher JVM, the accepting process of an {@code accept: handoff} pool. Only
 * the master starts it, with the arguments that {@link DispatcherArguments} parses. Exit status: 0
 * after a drain or when the master is gone, 1 when start-up failed (the reason is logged to stderr,
 * which is the master's log).
 */
public final class DispatcherMain {

    private DispatcherMain() {
    }

    /**
     * Runs the dispatcher until it is drained or its master goes away.
     *
     * @param args {@code --control PATH --scoreboard PATH --slot N --token T}
     */
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$s " + "dispatcher pid=" + ProcessHandle.current().pid() + " %3$s: %5$s%6$s%n");
        int status;
        try {
            status = new Dispatcher(DispatcherArguments.parse(args)).run();
        } catch (Throwable e) {
            System.getLogger(DispatcherMain.class.getName()).log(System.Logger.Level.ERROR, "dispatcher failed", e);
            status = 1;
        }
        System.exit(status);
    }
}
