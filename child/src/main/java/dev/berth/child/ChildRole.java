package dev.berth.child;

/**
 * What a child process of the master does once it is attached: serve as a worker, a dispatcher,
 * a mesh proxy. Every role runs in the same jar behind the same {@link ChildMain}, which does the
 * part all roles share (arguments, scoreboard slot, control connection, Hello, assignment) and then
 * calls {@link #serve} of the role named by {@code --role}. Roles are found with {@link
 * java.util.ServiceLoader}; an implementation needs a public no-argument constructor that does
 * nothing costly.
 *
 * <h2>Adding a role</h2>
 * <ol>
 *   <li>In the role's module (which depends on {@code berth-child}), a class implementing this
 *       interface, for instance {@code final class MeshRole implements ChildRole} with
 *       {@code name()} {@code "mesh"}. Its {@code serve} attaches the slot with its heartbeat
 *       entries ({@code child.slot().attach(pid, beats)}), starts its threads, calls
 *       {@link Child#ready}, blocks in {@link Child#awaitDrain}, stops, and returns 0.</li>
 *   <li>The class's name in that module's
 *       {@code src/main/resources/META-INF/services/dev.berth.child.ChildRole}.</li>
 *   <li>The module among {@code dist}'s dependencies, so the one jar carries it.</li>
 *   <li>In the master: a constant in {@code master/Role} with the same name, and the place
 *       that decides when to start one (the supervisor) and what it is assigned
 *       ({@code master/Assignments}).</li>
 * </ol>
 * The control protocol, the command line, logging set-up and exit codes need no change.
 */
public interface ChildRole {

    /** The role's name on the command line ({@code --role}) and in logs: lower case, no spaces. */
    String name();

    /**
     * Runs the role until it is drained or its master goes away. Called once, on the JVM's main
     * thread, which the role may block; the bootstrap closes the child (control connection and
     * scoreboard mapping) after it returns, so threads the role started must be done by then.
     *
     * @return the process exit status: 0 after a drain or when the master is gone
     * @throws InterruptedException when the main thread is interrupted; the child exits 1
     * @throws RuntimeException for an assignment the role cannot serve; logged, the child exits 1
     */
    int serve(Child child) throws InterruptedException;

    /**
     * Called in a spare ({@link ChildArguments#spare}) before it says Hello, on the main thread;
     * it then waits for its assignment, which comes when the master promotes it. Loads and initialises what {@link #serve} will need
     * (classes, native libraries, codecs), so that a promoted spare serves within milliseconds.
     * Must leave no thread running and no descriptor open; a failure here is logged and the
     * child goes on waiting. Nothing by default.
     */
    default void prepare() {
    }
}
