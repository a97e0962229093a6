package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code berth}: the command line (DESIGN.md §5). Exit status: 0 success, 1 failure, 2 invalid
 * config or usage.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "Multi-process, multi-threaded network service host for the JVM.",
        subcommands = {RunCommand.class, StartCommand.class, StopCommand.class, ReloadCommand.class,
            StatusCommand.class, CheckCommand.class, TopCommand.class, MeshCommand.class, AddrCommand.class})
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns its exit status. */
    public static int execute(String... args) {
        CommandLine line = new CommandLine(Main.class);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("berth: " + e.getMessage());
            return e instanceof dev.berth.config.ConfigException ? 2 : 1;
        });
        return line.execute(args);
    }
}
