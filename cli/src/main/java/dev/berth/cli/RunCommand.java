package dev.berth.cli;

import dev.berth.admin.AdminServer;
import dev.berth.master.Master;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth run}: the master in the foreground, logging to stderr, until stopped. */
@Command(name = "run", description = "Run the master in the foreground until stopped (TERM drains, INT stops now, HUP reloads).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--log-file", hidden = true, paramLabel = "FILE",
            description = "write standard output and error to FILE, reopened on SIGUSR1 (berth start uses it)")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        Master.configureLogging("master pid=" + ProcessHandle.current().pid());
        return Master.run(config.file(), Optional.ofNullable(logFile), AdminServer::start);
    }
}
