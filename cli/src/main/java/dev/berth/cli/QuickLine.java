package dev.berth.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The two commands that scripts and probes run most, {@code status} and {@code check}, read
 * without picocli: its model is built by reflection over annotations of classes that cannot be
 * archived (Java 5 class files), which cost more than the commands' own work (issue 12: both
 * answer in <= 0.3 s). Only the plain forms are taken ({@code -c FILE}, {@code -cFILE},
 * {@code --config FILE}, {@code --config=FILE}, and {@code --json} for status, each once); any
 * other line, help and errors included, is left to picocli, so what a user sees does not change.
 * Pure: no I/O.
 */
final class QuickLine {

    private QuickLine() {
    }

    /** The command {@code args} ask for, ready to call, or empty when picocli should read them. */
    static Optional<Callable<Integer>> parse(String... args) {
        if (args.length == 0 || !(args[0].equals("status") || args[0].equals("check"))) {
            return Optional.empty();
        }
        boolean status = args[0].equals("status");
        String file = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value;
            if ((arg.equals("-c") || arg.equals("--config")) && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else if (arg.startsWith("--config=")) {
                value = arg.substring("--config=".length());
            } else if (arg.startsWith("-c") && arg.length() > 2 && arg.charAt(2) != '=') {
                value = arg.substring(2);
            } else if (status && arg.equals("--json") && !json) {
                json = true;
                continue;
            } else {
                return Optional.empty();
            }
            if (file != null || value.isEmpty()) {
                return Optional.empty();
            }
            file = value;
        }
        if (file == null) {
            return Optional.empty();
        }
        ConfigOption config = new ConfigOption();
        config.file = Path.of(file);
        if (status) {
            StatusCommand command = new StatusCommand();
            command.config = config;
            command.json = json;
            return Optional.of(command);
        }
        CheckCommand command = new CheckCommand();
        command.config = config;
        return Optional.of(command);
    }
}
