package dev.berth.cli;

import dev.berth.master.Master;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth run}: the master in the foreground, logging to stderr, until stopped. */
@Command(name = "run", description = "Run the master in the foreground until stopped (TERM drains, INT stops now, HUP reloads).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Master.configureLogging("master pid=" + ProcessHandle.current().pid());
        return Master.run(config.file());
    }
}
