package dev.berth.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code berth}: the command line (DESIGN.md §5). Exit status: 0 success, 1 failure, 2 invalid
 * config or usage.
 *
 * <p>Only the subcommand named first on the line is given to picocli, whose model of a command is
 * built by reflection over its annotations: building all of them cost half of {@code berth status}'s
 * start (issue 12, bench/results/cli-start.md). Any other first word (none, {@code --help}, a
 * typo) gets them all, so usage and "did you mean" list every command.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "Multi-process, multi-threaded network service host for the JVM.")
public final class Main {

    /** Every subcommand, in the order usage lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("start", StartCommand::new);
        COMMANDS.put("stop", StopCommand::new);
        COMMANDS.put("reload", ReloadCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("top", TopCommand::new);
        COMMANDS.put("mesh", MeshCommand::new);
        COMMANDS.put("addr", AddrCommand::new);
    }

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns its exit status. */
    public static int execute(String... args) {
        var quick = QuickLine.parse(args);
        if (quick.isPresent()) {
            try {
                return quick.get().call();
            } catch (Exception e) {
                return failed(e, new java.io.PrintWriter(System.err, true));
            }
        }
        CommandLine line = new CommandLine(new Main());
        String named = args.length > 0 && COMMANDS.containsKey(args[0]) ? args[0] : null;
        COMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                line.addSubcommand(name, command.get());
            }
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
        return line.execute(args);
    }

    /** Reports a command's failure; its exit status: 2 for an invalid config, else 1. */
    private static int failed(Exception e, java.io.PrintWriter err) {
        err.println("berth: " + e.getMessage());
        return e instanceof dev.berth.config.ConfigException ? 2 : 1;
    }
}
