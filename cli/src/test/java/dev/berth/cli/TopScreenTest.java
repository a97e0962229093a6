package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class TopScreenTest {

    private static JsonNode status(long served) throws Exception {
        return new ObjectMapper().readTree("""
                {"master": {"pid": 7, "generation": 2, "uptime-ms": 65000, "admin": "127.0.0.1:8025", "ready": true},
                 "pools": [{"name": "web", "accept": "shared", "throttled": true, "size": 2, "min": 2, "max": 4,
                            "load-permille": 420, "sizing": "started with 2",
                            "restarts-by-cause": {"crash": 5, "hang": 0, "recycle": 0, "reload": 0, "scale": 0},
                            "workers": [
                              {"id": 1, "pid": 101, "generation": 2, "state": "ready", "active": 3, "served": %d,
                               "accepted": %d, "heartbeat-age-ms": 12, "load-permille": 400, "age-ms": 61000},
                              {"id": 2, "pid": 102, "generation": 2, "state": "starting", "active": 0, "served": 0,
                               "accepted": 0, "heartbeat-age-ms": -1, "load-permille": 0, "age-ms": 300}],
                            "dispatchers": []}],
                 "events": [{"time": "2026-01-01T10:00:00Z", "event": "restart", "pool": "web", "role": "worker",
                             "worker": 2, "pid": 99, "generation": 2, "cause": "crash",
                             "message": "died (killed by signal 9); replacing it in 100 ms"}]}
                """.formatted(served, served));
    }

    private static String text(List<AttributedString> lines) {
        return String.join("\n", lines.stream().map(AttributedString::toString).toList());
    }

    @Test
    void frameShowsMasterPoolWorkersAndTheRestartWithItsCause() throws Exception {
        List<AttributedString> lines = new TopScreen().render(status(10), 1_000, 160, 40);
        assertThat(text(lines)).contains("master pid 7").contains("generation 2").contains("admin http://127.0.0.1:8025/")
                .contains("POOL web").contains("CRASH LOOP").contains("crash 5").contains("why: started with 2")
                .contains("101").contains("102").contains("1m01s").contains("restart crash web #2 pid 99: died");
    }

    @Test
    void workerStateIsColouredAndRatesComeFromTheFrameBefore() throws Exception {
        TopScreen screen = new TopScreen();
        screen.render(status(10), 1_000, 160, 40);
        List<AttributedString> lines = screen.render(status(30), 3_000, 160, 40);
        assertThat(text(lines)).contains("10.0 conn/s").contains("10.0 req/s");
        AttributedString ready = lines.stream().filter(l -> l.toString().contains(" 101 ")).findFirst().orElseThrow();
        int at = ready.toString().indexOf("ready");
        assertThat(ready.styleAt(at)).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
    }

    @Test
    void frameIsCutToTheTerminal() throws Exception {
        List<AttributedString> lines = new TopScreen().render(status(10), 1_000, 30, 5);
        assertThat(lines).hasSize(5).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(30));
    }
}
