package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.JsonTree;
import dev.berth.master.MasterClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth status}: the pool as the master sees it, as a table or as JSON (DESIGN.md §5). */
@Command(name = "status", description = "Show the master, services, pools and workers.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "print the status object as JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode reply = new MasterClient(config.runDir()).request("status", false);
        if (!reply.path("ok").asBoolean()) {
            System.err.println("berth: " + reply.path("error").asText());
            return 1;
        }
        JsonNode status = reply.path("status");
        System.out.println(json ? JsonTree.write(status) : StatusTable.render(status));
        return 0;
    }
}
