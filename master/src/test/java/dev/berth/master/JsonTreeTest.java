package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreeTest {

    private static final String STATUS = """
            {"ok":true,"status":{"master":{"pid":7,"uptime-ms":65000,"ready":true,"admin":null,"load":0.25},
             "services":[{"name":"web","listen":["127.0.0.1:8080","[::1]:8080"]}],
             "events":[{"message":"died \\"hard\\" \\u00e9 \\n"}],"empty":{},"none":[]}}
            """;

    @Test
    void theTreeAndTheTextAreThoseOfAnObjectMapper() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = JsonTree.parse(STATUS);

        assertThat(tree).isEqualTo(mapper.readTree(STATUS));
        assertThat(JsonTree.write(tree)).isEqualTo(mapper.readTree(STATUS).toString());
        assertThat(JsonTree.write(tree.path("status").path("services").get(0).path("listen")))
                .isEqualTo("[\"127.0.0.1:8080\",\"[::1]:8080\"]");
    }

    @Test
    void aRequestMadeOfMapsListsAndScalarsIsWrittenAsJson() throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", "addr-add");
        request.put("now", false);
        request.put("prefix", 24);
        request.put("tags", List.of("a", 1L));
        request.put("none", null);

        assertThat(JsonTree.write(request))
                .isEqualTo("{\"command\":\"addr-add\",\"now\":false,\"prefix\":24,\"tags\":[\"a\",1],\"none\":null}");
        assertThat(JsonTree.parse(JsonTree.write(request))).isEqualTo(new ObjectMapper().readTree(JsonTree.write(request)));
    }

    @Test
    void anythingButOneWellFormedValueIsRefused() {
        for (String bad : List.of("", "{\"ok\":", "{} {}", "[".repeat(100) + "]".repeat(100), "{\"a\":tru}")) {
            assertThatThrownBy(() -> JsonTree.parse(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
