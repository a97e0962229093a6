package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.MasterClient;
import dev.berth.master.MasterException;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth top}: the admin page's picture in a terminal, redrawn every {@code --interval}
 * from the master's status (its CLI socket, so it works without {@code master.admin}). Full
 * screen through JLine (raw mode, the alternate screen, a diffing display); {@code q} or Ctrl-C
 * quits. Runs on the calling thread; blocks until quit or the master goes away.
 */
@Command(name = "top", description = "Show pools, workers and events in the terminal, refreshing (q quits).")
final class TopCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "refresh period in milliseconds (default ${DEFAULT-VALUE})")
    long intervalMillis;

    @Override
    public Integer call() throws Exception {
        MasterClient client = new MasterClient(config.runDir());
        TopScreen screen = new TopScreen();
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> { });
            var attributes = terminal.enterRawMode();
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.cursor_invisible);
            Display display = new Display(terminal, true);
            NonBlockingReader keys = terminal.reader();
            try {
                while (true) {
                    JsonNode reply;
                    try {
                        reply = client.request("status", false);
                    } catch (MasterException gone) {
                        return leave(terminal, "berth top: " + gone.getMessage());
                    }
                    display.resize(terminal.getHeight(), terminal.getWidth());
                    List<AttributedString> lines = screen.render(reply.path("status"), System.currentTimeMillis(),
                            terminal.getWidth(), terminal.getHeight());
                    display.update(lines, -1);
                    terminal.flush();
                    int key = keys.read(Math.max(50, intervalMillis));
                    if (key == 'q' || key == 'Q' || key == 3 || key == NonBlockingReader.EOF) {
                        return leave(terminal, null);
                    }
                }
            } finally {
                terminal.setAttributes(attributes);
                terminal.handle(Terminal.Signal.INT, previous);
            }
        }
    }

    private static int leave(Terminal terminal, String message) {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        if (message != null) {
            System.err.println(message);
            return 1;
        }
        return 0;
    }
}
