package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12: {@code berth top} in a real terminal (tmux), read back with capture-pane. */
class TopTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void topShowsEveryWorkerAndARestartWithItsCauseAndQuitsOnQ() throws Exception {
        String session = "berth-it-top-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Berth berth = Berth.start(dir, Configs.echo(2, ""))) {
            String top = String.join(" ", Berth.JAVA, "--enable-native-access=ALL-UNNAMED", "-cp", Berth.JAR.toString(),
                    "dev.berth.cli.Main", "top", "--interval", "300", "-c", berth.config().toString(),
                    ";", "echo", "top-exited-$?", ";", "sleep", "60");
            tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "45", top);
            try {
                List<Long> pids = berth.readyPids("echo");
                assertThat(Await.until(WAIT, Duration.ofMillis(200), () -> {
                    String screen = screen(session);
                    return screen.contains("POOL echo") && pids.stream().allMatch(p -> screen.contains(Long.toString(p)));
                })).as("every worker pid on screen:\n" + screen(session)).isTrue();

                long victim = pids.getFirst();
                ProcessHandle.of(victim).orElseThrow().destroyForcibly();
                assertThat(Await.until(WAIT, Duration.ofMillis(200), () -> screen(session).lines()
                        .anyMatch(l -> l.contains("restart crash") && l.contains("pid " + victim))))
                        .as("the restart and its cause on screen:\n" + screen(session)).isTrue();

                tmux("send-keys", "-t", session, "q");
                assertThat(Await.until(WAIT, Duration.ofMillis(200), () -> screen(session).contains("top-exited-0")))
                        .as("q quits with status 0:\n" + screen(session)).isTrue();
            } finally {
                tmux("kill-session", "-t", session);
            }
        }
    }

    private String screen(String session) {
        try {
            return tmux("capture-pane", "-p", "-t", session).output();
        } catch (Exception e) {
            return "(capture-pane failed: " + e + ")";
        }
    }

    private Command tmux(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("tmux", "-L", "berth-it-" + ProcessHandle.current().pid()));
        argv.addAll(List.of(args));
        return Command.run(dir, Map.of(), new byte[0], argv);
    }
}
