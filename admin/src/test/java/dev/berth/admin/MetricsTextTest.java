package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTextTest {

    @TempDir
    Path dir;

    private String render() {
        StartTimes starts = new StartTimes();
        starts.observe(240);
        starts.observe(1_700);
        return new String(MetricsText.render(Snapshots.twoPools(), starts), StandardCharsets.UTF_8);
    }

    @Test
    void everyFamilyOfTheDesignIsThereWithItsLabels() {
        String text = render();
        assertThat(text)
                .contains("berth_workers{pool=\"web\",state=\"ready\"} 2.0")
                .contains("berth_workers{pool=\"web\",state=\"draining\"} 0.0")
                .contains("berth_workers{pool=\"web\",state=\"spare\"} 0.0")
                .contains("berth_connections_accepted_total{pool=\"web\",service=\"hello\"} 82.0")
                .contains("berth_connections_active{pool=\"web\"} 6.0")
                .contains("berth_worker_restarts_total{cause=\"crash\",pool=\"web\"} 1.0")
                .contains("berth_worker_start_seconds_bucket{le=\"0.3\"} 1")
                .contains("berth_worker_start_seconds_count 2")
                .contains("berth_pool_load_ratio{pool=\"web\"} 0.25")
                .contains("berth_handoff_queue{pool=\"mail\"} 4.0")
                .contains("berth_smtp_replies_total{code=\"250\",pool=\"mail\",service=\"mx\"} 9.0")
                .contains("berth_scan_verdicts_total{pool=\"mail\",scanner=\"sig\",service=\"mx\",verdict=\"infected\"} 2.0")
                .contains("berth_mesh_call_seconds_bucket{group=\"quotes\",pool=\"mail\",le=\"1.0E-4\"} 1")
                .contains("berth_mesh_call_seconds_count{group=\"quotes\",pool=\"mail\"} 2");
    }

    @Test
    void familiesWithoutASourceAreLeftOut() {
        assertThat(render()).doesNotContain("berth_tenant_classified").doesNotContain("berth_mesh_calls_total");
        assertThat(render()).doesNotContain("berth_handoff_queue{pool=\"web\"}");
    }

    @Test
    void promtoolFindsNothingToCriticise() throws Exception {
        Commands.Result checked = Commands.run(dir, render(), Duration.ofSeconds(30), List.of("promtool", "check", "metrics"));
        assertThat(checked.output()).isEmpty();
        assertThat(checked.exit()).isZero();
    }
}
