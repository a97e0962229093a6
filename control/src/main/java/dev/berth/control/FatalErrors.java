package dev.berth.control;

import java.lang.System.Logger.Level;

/**
 * What a child of the master (a worker, a dispatcher) does with an {@link Error}: it exits at once
 * with status {@value #EXIT_STATUS}, and the master replaces it like any crashed child. After an
 * OutOfMemoryError, a StackOverflowError, a LinkageError or an AssertionError nothing in the process
 * can be trusted (a lock half released, a connection table half updated, a class that will never
 * load), so going on would leave a worker half alive: accepting connections it cannot serve.
 *
 * <p>Where Errors are caught:
 * <ul>
 *   <li>thrown out of any thread, platform or virtual: the default uncaught exception handler that
 *       {@link #install} sets;</li>
 *   <li>thrown in a Netty handler: the worker's handler at the end of every connection's
 *       pipeline, which a kind's handler reaches by passing the Error on ({@code
 *       ctx.fireExceptionCaught}, as {@code ChannelInboundHandlerAdapter} does by default);</li>
 *   <li>OutOfMemoryError from the JVM itself, even where code catches it: the master starts every
 *       child with {@code -XX:+ExitOnOutOfMemoryError} (exit status 3).</li>
 * </ul>
 *
 * <p>{@link #exit} halts without running shutdown hooks, which could block on the state the Error
 * left behind. Thread-safe.
 */
public final class FatalErrors {

    /** The exit status of a child that ended on an Error (EX_SOFTWARE). */
    public static final int EXIT_STATUS = 70;

    private static final System.Logger LOG = System.getLogger(FatalErrors.class.getName());

    private FatalErrors() {
    }

    /**
     * Makes an Error thrown out of any thread of this process end the process; other uncaught
     * exceptions are logged, as the JVM would print them. Called once, first thing in a child's
     * main method.
     */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            if (isFatal(failure)) {
                exit("thread " + thread.getName(), failure);
            }
            LOG.log(Level.ERROR, "uncaught in thread " + thread.getName(), failure);
        });
    }

    /** Whether {@code failure} is an Error or was caused by one. */
    public static boolean isFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /**
     * Logs {@code error} (as far as the state of the process allows) and halts with {@value
     * #EXIT_STATUS}. Never returns.
     *
     * @param where where it was caught, for the log line
     */
    public static void exit(String where, Throwable error) {
        try {
            LOG.log(Level.ERROR, "fatal error in " + where + "; exiting with status " + EXIT_STATUS
                    + " for the master to replace this process", error);
        } catch (Throwable ignored) {
            // the Error may have left no room even for the log line; the exit status still says it
        }
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}
