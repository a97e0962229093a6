package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.MasterClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth stop}: drains and stops the master; returns once it is gone. */
@Command(name = "stop", description = "Stop the master: drain connections (up to each pool's drain-timeout), or --now.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--now", description = "kill the workers at once instead of draining")
    boolean now;

    @Override
    public Integer call() throws InterruptedException {
        MasterClient client = new MasterClient(config.runDir());
        JsonNode reply = client.request("status", false);
        long pid = reply.path("status").path("master").path("pid").asLong();
        reply = client.request("stop", now);
        if (!reply.path("ok").asBoolean()) {
            System.err.println("berth: stop refused: " + reply.path("error").asText());
            return 1;
        }
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        System.out.println("berth stopped (master pid " + pid + ")");
        return 0;
    }
}
