package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class MasterEventsTest {

    private static final MasterEvent.Child WORKER = new MasterEvent.Child("web", "worker", 2, 4242, 3);

    @Test
    void restartsAreCountedPerPoolAndCauseWithEveryCausePresent() {
        MasterEvents events = new MasterEvents(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
        events.on(new MasterEvent.Restart(WORKER, RestartCause.CRASH, "died (killed by signal 9)"));
        events.on(new MasterEvent.Restart(WORKER, RestartCause.CRASH, "died (exit status 1)"));
        events.on(new MasterEvent.Restart(WORKER, RestartCause.HANG, "hung"));
        assertThat(events.restarts("web")).containsExactly(java.util.Map.entry("crash", 2L), java.util.Map.entry("hang", 1L),
                java.util.Map.entry("recycle", 0L), java.util.Map.entry("reload", 0L), java.util.Map.entry("scale", 0L));
        assertThat(events.restarts("other")).containsValues(0L).doesNotContainValue(1L);
    }

    @Test
    void theLastHundredAreKeptWithTimeChildAndCause() {
        MasterEvents events = new MasterEvents(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
        for (int i = 0; i < 150; i++) {
            events.on(new MasterEvent.Resized("web", i, i + 1, "load " + i));
        }
        events.on(new MasterEvent.Restart(WORKER, RestartCause.RECYCLE, "took 10 connections"));
        List<Status.EventStatus> recent = events.recent();
        assertThat(recent).hasSize(MasterEvents.KEPT);
        assertThat(recent.getLast()).isEqualTo(new Status.EventStatus("2026-01-01T00:00:00Z", "restart", "web", "worker",
                2, 4242, 3, "recycle", "took 10 connections"));
    }

    @Test
    void subscribersHearEveryLaterEvent() {
        MasterEvents events = MasterEvents.loggingOnly();
        List<MasterEvent> heard = new ArrayList<>();
        events.subscribe(heard::add);
        MasterEvent ready = new MasterEvent.Ready(WORKER, 240);
        events.on(ready);
        assertThat(heard).containsExactly(ready);
    }

    @Test
    void jsonLineCarriesPoolWorkerPidGenerationAndCause() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "pool=web id=2 pid=4242 gen=3 event=restart cause=hang: hung");
        record.setLoggerName(MasterEvents.class.getName());
        record.setParameters(new Object[] {new MasterEvent.Restart(WORKER, RestartCause.HANG, "hung: heartbeat 2500 ms old")});
        String line = new LogLines.JsonFormatter().format(record);
        assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n" + "{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("event").asText()).isEqualTo("restart");
        assertThat(json.path("pool").asText()).isEqualTo("web");
        assertThat(json.path("worker").asInt()).isEqualTo(2);
        assertThat(json.path("pid").asLong()).isEqualTo(4242);
        assertThat(json.path("generation").asLong()).isEqualTo(3);
        assertThat(json.path("cause").asText()).isEqualTo("hang");
        assertThat(json.path("level").asText()).isEqualTo("WARNING");
        assertThat(json.path("message").asText()).isEqualTo("hung: heartbeat 2500 ms old");
    }
}
