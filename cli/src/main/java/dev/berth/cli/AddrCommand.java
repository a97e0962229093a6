package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.MasterClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code berth addr add ADDR/LEN dev IF --group G [--persist]} and {@code berth addr del ADDR}
 * (DESIGN.md §7): the running master adds or removes the interface address and the tenant group's
 * claim together. Needs CAP_NET_ADMIN in the master.
 */
@Command(name = "addr", description = "Give a tenant group an address, or take one away, while berth runs.",
        subcommands = {AddrCommand.Add.class, AddrCommand.Del.class})
final class AddrCommand {

    AddrCommand() {
    }

    /** Sends one request; prints the master's answer; 0 on success, 1 on a refusal. */
    static int send(ConfigOption config, Map<String, Object> request) {
        JsonNode reply = new MasterClient(config.runDir()).request(request);
        if (!reply.path("ok").asBoolean()) {
            System.err.println("berth: " + reply.path("error").asText());
            return 1;
        }
        System.out.println(reply.path("message").asText());
        return 0;
    }

    /** {@code berth addr add ADDR/LEN dev IF --group G [--persist]}. */
    @Command(name = "add", description = "Add ADDR/LEN to interface IF and claim it for a group.")
    static final class Add implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ADDR/LEN dev IF", arity = "3",
                description = "the address with its prefix length, the word dev, and the interface, as ip addr takes them")
        List<String> words;

        @Option(names = "--group", required = true, paramLabel = "G", description = "the tenant group that owns it")
        String group;

        @Option(names = "--persist", description = "keep the claim across reloads and restarts (run/addresses)")
        boolean persist;

        @Override
        public Integer call() {
            if (!words.get(1).equals("dev") || !words.get(0).contains("/")) {
                throw new ParameterException(spec.commandLine(), "expected ADDR/LEN dev IF, like 10.77.0.9/24 dev eth0");
            }
            return send(config, Map.of("command", "addr-add", "address", words.get(0), "device", words.get(2),
                    "group", group, "persist", persist));
        }
    }

    /** {@code berth addr del ADDR}. */
    @Command(name = "del", description = "Stop routing ADDR to its group, drain its connections, then remove it from its interface.")
    static final class Del implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ADDR", description = "the address, without prefix")
        String address;

        @Override
        public Integer call() {
            return send(config, Map.of("command", "addr-del", "address", address));
        }
    }
}
