package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.ListenAddress;
import dev.berth.master.MasterEvent;
import dev.berth.master.MasterSnapshot;
import dev.berth.master.MasterView;
import dev.berth.master.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A master that always answers with one snapshot, or never answers (a stuck supervisor). */
    private record FixedView(CompletableFuture<MasterSnapshot> answer) implements MasterView {
        static FixedView of(MasterSnapshot snapshot) {
            return new FixedView(CompletableFuture.completedFuture(snapshot));
        }

        @Override
        public CompletableFuture<MasterSnapshot> snapshot() {
            return answer.thenApply(s -> s);
        }

        @Override
        public void subscribe(Consumer<MasterEvent> subscriber) {
        }
    }

    private static HttpResponse<String> get(AdminServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void portZeroBindsOnLoopbackAndTellsTheRealPort() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), FixedView.of(Snapshots.twoPools()))) {
            assertThat(server.address()).startsWith("127.0.0.1:").doesNotEndWith(":0");
        }
    }

    @Test
    void statusJsonIsTheMastersStatusObject() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), FixedView.of(Snapshots.twoPools()))) {
            HttpResponse<String> status = get(server, "/status.json");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.headers().firstValue("content-type")).contains("application/json");
            assertThat(status.body()).contains("\"admin\":\"127.0.0.1:8025\"").contains("\"pid\":101")
                    .contains("\"restarts-by-cause\"").contains("\"event\":\"restart\"");
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), FixedView.of(Snapshots.twoPools()))) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body()).contains("# TYPE berth_workers gauge");
        }
    }

    @Test
    void pageIsOneFileWithNoExternalAsset() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), FixedView.of(Snapshots.twoPools()))) {
            HttpResponse<String> page = get(server, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            String withoutSvgNamespace = page.body().replace("http://www.w3.org/2000/svg", "");
            assertThat(page.body()).contains("<title>berth</title>");
            assertThat(withoutSvgNamespace).doesNotContain("http://").doesNotContain("https://")
                    .doesNotContain("src=").doesNotContain("<link").doesNotContain("url(");
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
            assertThat(get(server, "/history.json").body()).startsWith("{\"times\":[");
        }
    }

    @Test
    void healthAndReadinessFollowTheMaster() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), FixedView.of(Snapshots.twoPools()))) {
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPoolBelowItsMinimumIsNotReadyAndSaysSo() throws Exception {
        MasterSnapshot full = Snapshots.twoPools();
        Status lagging = new Status(full.status().master(), full.status().services(),
                List.of(Snapshots.pool("web", "shared", 2, List.of(Snapshots.worker(1, 101, "ready"),
                        Snapshots.worker(2, 102, "starting")), List.of())), List.of());
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0),
                FixedView.of(new MasterSnapshot(lagging, List.of(), java.util.Map.of())))) {
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("web: 1 of at least 2 workers ready");
        }
    }

    @Test
    void aSupervisorThatDoesNotAnswerMakesHealthFail() throws Exception {
        try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0),
                new FixedView(new CompletableFuture<>()))) {
            HttpResponse<String> health = get(server, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("did not answer");
        }
    }
}
