package dev.berth.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.config.MeshConfig;
import dev.berth.testpeers.Await;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal kind's HTTP side over loopback: a page composed from three groups in three modes on
 * nodes b and c, called from node a (proxies and workers in this JVM).
 */
class PortalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Nodes nodes;
    private MultiThreadIoEventLoopGroup loop;
    private Channel server;
    private final AtomicInteger served = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        nodes = new Nodes(dir, List.of("a", "b", "c"), Nodes.groups(
                new MeshConfig.Group("quotes", MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of()),
                new MeshConfig.Group("portfolio", MeshConfig.Mode.ROUTED, List.of("b", "c"), Map.of()),
                new MeshConfig.Group("photos", MeshConfig.Mode.KEYED, List.of(), Map.of("club", "c", "*", "b"))));
        nodes.startAll();
        for (String node : List.of("b", "c")) {
            Mesh worker = nodes.serveEcho(node, "quotes");
            worker.serve("portfolio", request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request)));
            worker.serve("photos", request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request)));
        }
        Await.require("a sees b and c", Duration.ofSeconds(10), () -> nodes.sees("a", "b") && nodes.sees("a", "c"));
        Map<String, MeshConfig.Mode> parts = new LinkedHashMap<>();
        parts.put("quotes", MeshConfig.Mode.NORMAL);
        parts.put("portfolio", MeshConfig.Mode.ROUTED);
        parts.put("photos", MeshConfig.Mode.KEYED);
        Portal portal = new Portal(nodes.attach("a"), parts, Duration.ofSeconds(5));
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new PortalHandler(portal, served::incrementAndGet));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        nodes.close();
    }

    @Test
    void thePortalAnswersOnePartPerGroupWithTheNodeThatAnsweredIt() throws Exception {
        HttpResponse<String> response = get("/portal?key=alice&type=club");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode page = JSON.readTree(response.body());
        assertThat(page.path("key").asText()).isEqualTo("alice");
        assertThat(page.path("parts")).extracting(p -> p.path("group").asText())
                .containsExactly("quotes", "portfolio", "photos");
        assertThat(page.path("parts")).allSatisfy(p -> {
            assertThat(p.path("ok").asBoolean()).isTrue();
            assertThat(p.path("node").asText()).isIn("b", "c");
            assertThat(p.path("micros").asLong()).isNotNegative();
        });
        assertThat(page.path("parts").get(2).path("node").asText()).isEqualTo("c");
        assertThat(page.path("parts").get(1).path("mode").asText()).isEqualTo("routed");
        String alice = page.path("parts").get(1).path("node").asText();
        for (int i = 0; i < 5; i++) {
            assertThat(JSON.readTree(get("/portal?key=alice").body()).path("parts").get(1).path("node").asText())
                    .isEqualTo(alice);
        }
        assertThat(JSON.readTree(get("/portal?key=alice").body()).path("parts").get(2).path("node").asText())
                .isEqualTo("b");
        assertThat(served.get()).isEqualTo(7);
    }

    @Test
    void theRootIsTheSamePageInHtmlAndOtherPathsAreNotFound() throws Exception {
        HttpResponse<String> page = get("/?key=%3Cbob%3E&type=club");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<td>photos</td><td>keyed</td><td>c</td><td>ok</td>")
                .contains("value=\"&lt;bob&gt;\"").doesNotContain("<bob>");
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    }

    @Test
    void aPartWhoseNodeIsGoneIsReportedFailedAndTheOthersStillAnswer() throws Exception {
        nodes.stop("c");
        Await.require("a to see c down", Duration.ofSeconds(10), () -> !nodes.sees("a", "c"));
        JsonNode page = JSON.readTree(get("/portal?key=alice&type=club").body());
        assertThat(page.path("parts").get(0).path("node").asText()).isEqualTo("b");
        assertThat(page.path("parts").get(1).path("node").asText()).isEqualTo("b");
        assertThat(page.path("parts").get(2).path("ok").asBoolean()).isFalse();
        assertThat(page.path("parts").get(2).path("error").asText()).contains("photos");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ((InetSocketAddress) server.localAddress()).getPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
