package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.JavaCommand;
import dev.berth.master.MasterClient;
import dev.berth.master.MasterException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth start}: starts {@code berth run} as a daemon in its own session, logging to
 * {@code log-dir/berth.log} (reopened on SIGUSR1, so logrotate can move it), and returns once every pool has its workers ready. If the master exits
 * first or is not ready in time, prints the end of its log and fails.
 */
@Command(name = "start", description = "Start the master as a daemon; return once listeners are bound and workers are ready.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for readiness (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path runDir = config.runDir();
        Path log = logFile();
        Files.createDirectories(log.getParent());
        Process master = new ProcessBuilder(command(log))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        MasterClient client = new MasterClient(runDir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (master.waitFor(100, TimeUnit.MILLISECONDS)) {
                System.err.println("berth: the master exited with status " + master.exitValue() + ":");
                System.err.println(tail(log));
                return 1;
            }
            try {
                JsonNode reply = client.request("status", false);
                if (reply.path("ready").asBoolean()) {
                    System.out.println("berth started: master pid " + master.pid() + ", log " + log);
                    return 0;
                }
            } catch (MasterException notYet) {
                // the master has not bound its socket yet
            }
        }
        System.err.println("berth: not ready after " + timeoutSeconds + " s; the master (pid " + master.pid()
                + ") keeps trying. Log:");
        System.err.println(tail(log));
        return 1;
    }

    private Path logFile() {
        Path file = config.file();
        try {
            dev.berth.config.HostConfig host = dev.berth.config.ConfigLoader.load(file,
                    dev.berth.service.ServiceKinds.installed().names());
            return host.master().logDir().resolve("berth.log");
        } catch (RuntimeException e) {
            return file.getParent().resolve("log").resolve("berth.log");
        }
    }

    private List<String> command(Path log) {
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(JavaCommand.of(JavaCommand.MASTER_DEFAULTS));
        command.addAll(List.of(Main.class.getName(), "run", "-c", config.file().toString(), "--log-file", log.toString()));
        return command;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }
}
