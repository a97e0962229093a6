package dev.berth.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.MeshConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Composes one page from several groups: every part called at once under one deadline, each
 * part's answering node, outcome and time reported. Thread-safe; never blocks.
 */
final class Portal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mesh mesh;
    private final Map<String, MeshConfig.Mode> parts;
    private final Duration timeout;

    Portal(Mesh mesh, Map<String, MeshConfig.Mode> parts, Duration timeout) {
        this.mesh = mesh;
        this.parts = parts;
        this.timeout = timeout;
    }

    /** The page's JSON for a key; {@code type} goes to keyed groups only (default {@code *}). */
    CompletableFuture<ObjectNode> compose(String key, String type) {
        List<CompletableFuture<ObjectNode>> calls = new ArrayList<>();
        parts.forEach((group, mode) -> {
            long started = System.nanoTime();
            String callType = mode == MeshConfig.Mode.KEYED ? type : "";
            calls.add(mesh.call(group, key, callType, key.getBytes(StandardCharsets.UTF_8), timeout)
                    .handle((reply, failure) -> part(group, mode, reply, failure, started)));
        });
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ObjectNode page = JSON.createObjectNode().put("key", key);
            ArrayNode list = page.putArray("parts");
            calls.forEach(c -> list.add(c.join()));
            return page;
        });
    }

    private static ObjectNode part(String group, MeshConfig.Mode mode, MeshReply reply, Throwable failure, long started) {
        ObjectNode part = JSON.createObjectNode().put("group", group).put("mode", mode.configName());
        Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                ? c.getCause() : failure;
        part.put("node", reply != null ? reply.node() : cause instanceof MeshCallException m ? m.node() : "");
        part.put("ok", reply != null);
        part.put("micros", (System.nanoTime() - started) / 1000);
        if (cause != null) {
            part.put("error", String.valueOf(cause.getMessage()));
        }
        return part;
    }

    /** The same page as HTML, with a form to ask for another key. */
    static String html(ObjectNode page, String type) {
        StringBuilder rows = new StringBuilder();
        page.withArray("parts").forEach(p -> rows.append("<tr><td>").append(escape(p.path("group").asText()))
                .append("</td><td>").append(escape(p.path("mode").asText())).append("</td><td>")
                .append(escape(p.path("node").asText())).append("</td><td>").append(p.path("ok").asBoolean() ? "ok"
                        : "failed: " + escape(p.path("error").asText())).append("</td><td>")
                .append(p.path("micros").asLong()).append(" µs</td></tr>\n"));
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>berth portal</title>
                <style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;border-bottom:1px solid #ccc}</style>
                </head><body><h1>berth portal</h1>
                <form action="/">key <input name="key" value="%s"> type <input name="type" value="%s">
                <button>compose</button></form>
                <table><tr><th>group</th><th>mode</th><th>node</th><th>outcome</th><th>time</th></tr>
                %s</table><p>JSON: <a href="/portal?key=%s&amp;type=%s">/portal?key=%s</a></p></body></html>
                """.formatted(escape(page.path("key").asText()), escape(type), rows, escape(page.path("key").asText()),
                escape(type), escape(page.path("key").asText()));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
