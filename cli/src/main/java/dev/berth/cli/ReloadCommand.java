package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.MasterClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth reload}: the master re-reads its config; an invalid one is refused with the reason. */
@Command(name = "reload", description = "Re-read the config: new workers start, then the old ones drain. An invalid config changes nothing.")
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        JsonNode reply = new MasterClient(config.runDir()).request("reload", false);
        if (!reply.path("ok").asBoolean()) {
            System.err.println("berth: reload refused, the master keeps its running config:\n"
                    + reply.path("error").asText());
            return 2;
        }
        System.out.println("berth reloaded");
        return 0;
    }
}
