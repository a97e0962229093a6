package dev.berth.master;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The start of the command line of every JVM berth starts (a child of the master, a daemonised
 * master): this JVM's {@code java}, native access for FFM and Netty, this JVM's class path, and
 * the class-data archive shipped beside the jar when there is one.
 *
 * <p>The archive ({@code berth.jsa} beside {@code berth.jar}, made by the dist module's training
 * run: dist/src/training/train.sh) holds the classes of every role, pre-parsed and pre-linked, so
 * a worker is ready in a fraction of the time. The JVM uses it only when the jar has the name, size
 * and modification time it was made from (it may be in another directory) and the flags match;
 * otherwise it starts without it, silently (the cds and aot logs are off), only slower.
 */
public final class JavaCommand {

    /** Native access without a warning: FFM (posix) and Netty's JNI transport both need it. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * The JVM options of every JVM berth starts (children, a daemonised master; bin/berth gives
     * {@code run} the same), before any pool's {@code jvm-options}: an idle JVM's own housekeeping
     * wakes it no more than every 10 s. By default its monitor deflation thread looks every 250 ms
     * whether monitors need deflating (the busiest thread of an idle worker, 4 wake-ups a second)
     * and its VM thread every second whether a safepoint is due; both are diagnostic flags, which
     * only need unlocking (docs/adr/0037).
     */
    public static final List<String> QUIET = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=10000");

    /**
     * The JVM options every child starts with, before its pool's {@code jvm-options}: an
     * OutOfMemoryError would leave a child half alive wherever it is caught, so the child exits and
     * is replaced (docs/adr/0009). G1, where a pool chooses it, runs without its concurrent
     * refinement threads, which woke an idle worker five times a second (docs/adr/0030).
     */
    public static final List<String> CHILD_DEFAULTS = List.of("-XX:+ExitOnOutOfMemoryError",
            "-XX:G1ConcRefinementThreads=0");

    /**
     * The collector of a child whose pool names none (docs/adr/0023): a connection server's garbage
     * is young, a heap of {@link #DEFAULT_HEAP} is collected in short pauses, and there are no
     * concurrent collector threads to wake an idle worker.
     */
    public static final String DEFAULT_GC = "-XX:+UseSerialGC";

    /**
     * The heap of a child whose pool sizes none (docs/adr/0023): it starts small and may grow to
     * 256 MiB, whatever the machine's size (the JDK's default is a quarter of the memory, which a
     * worker under load filled to 330 MiB of RSS on a 24 GiB machine).
     */
    public static final List<String> DEFAULT_HEAP = List.of("-Xms32m", "-Xmx256m");

    /** How a pool's option that sizes the heap begins: any of them replaces {@link #DEFAULT_HEAP}. */
    private static final List<String> HEAP_SIZING = List.of("-Xmx", "-Xms", "-Xmn", "-XX:MaxHeapSize=",
            "-XX:InitialHeapSize=", "-XX:MinHeapSize=", "-XX:MaxRAM", "-XX:InitialRAM", "-XX:MinRAM",
            "-XX:NewSize=", "-XX:MaxNewSize=");

    /**
     * The JVM options of the master ({@code berth run}, and the daemon {@code berth start} makes;
     * bin/berth gives {@code run} the same): a heap sized for what a master holds (config, status,
     * events: 8 MiB live after 60 reloads, measured with a full GC), not the JDK's default of 1/64
     * of RAM to start with, which G1 walks through page by page as it allocates: the 30-minute
     * soak's master grew by 6.3 MiB of RSS a minute on a 24 GiB machine (issue 11). The serial
     * collector: a heap this small is collected in short pauses, and it has no concurrent threads
     * (G1's refinement thread woke an idle master twenty times a second; docs/adr/0030).
     */
    public static final List<String> MASTER_DEFAULTS = List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC");

    private JavaCommand() {
    }

    /**
     * {@code java}, the flags every berth JVM shares (native access, the archive if present, {@link
     * #QUIET}) and
     * {@code extra} after them, then {@code -cp} with this JVM's class path (absolute).
     *
     * @param extra JVM options that may override the defaults (a pool's {@code jvm-options})
     */
    public static List<String> of(List<String> extra) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(NATIVE_ACCESS);
        archive().ifPresent(a -> command.addAll(List.of("-XX:SharedArchiveFile=" + a, "-Xlog:cds=off", "-Xlog:aot=off")));
        command.addAll(QUIET);
        command.addAll(extra);
        command.add("-cp");
        command.add(classPath());
        return command;
    }

    /**
     * The command of a child JVM: {@link #of} with {@link #CHILD_DEFAULTS}, {@link #DEFAULT_GC}
     * unless the pool names a collector, {@link #DEFAULT_HEAP} unless the pool sizes the heap in any
     * way, then the pool's options. Defaults are left out rather than overridden, so a pool's
     * {@code -Xmx48m} is not combined with a default initial heap chosen for 256 MiB.
     *
     * @param poolOptions the pool's {@code jvm-options}
     */
    public static List<String> child(List<String> poolOptions) {
        List<String> options = new ArrayList<>(CHILD_DEFAULTS);
        if (poolOptions.stream().noneMatch(JavaCommand::namesCollector)) {
            options.add(DEFAULT_GC);
        }
        if (poolOptions.stream().noneMatch(JavaCommand::sizesHeap)) {
            options.addAll(DEFAULT_HEAP);
        }
        options.addAll(poolOptions);
        return of(options);
    }

    private static boolean namesCollector(String option) {
        return option.startsWith("-XX:+Use") && option.endsWith("GC");
    }

    private static boolean sizesHeap(String option) {
        return HEAP_SIZING.stream().anyMatch(option::startsWith);
    }

    /** The archive beside the first jar of the class path ({@code x/berth.jar} → {@code x/berth.jsa}). */
    static Optional<Path> archive() {
        return archive(System.getProperty("java.class.path"));
    }

    static Optional<Path> archive(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                Path jar = Path.of(entry).toAbsolutePath();
                Path jsa = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
                return Files.isRegularFile(jsa) ? Optional.of(jsa) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String classPath() {
        List<String> absolute = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            absolute.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, absolute);
    }
}
