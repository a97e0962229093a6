package dev.berth.cli;

import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceKinds;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth check}: validates the config file, kinds' sections included; starts nothing. */
@Command(name = "check", description = "Validate the config file without starting anything.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        ServiceKinds kinds = ServiceKinds.installed();
        HostConfig host = ConfigLoader.load(config.file(), kinds.names());
        kinds.settings(host);
        host.requireUsers(dev.berth.master.Master::knownUser);
        System.out.println(config.file() + ": ok (" + host.pools().size() + " pools, " + host.services().size()
                + " services)");
        return 0;
    }
}
