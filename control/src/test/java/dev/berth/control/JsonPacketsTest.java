package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.posix.Packet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed payloads end as {@link ControlException}s, never as messages with holes. */
class JsonPacketsTest {

    private static final JsonPackets CODEC = new JsonPackets();

    @Test
    void anAssignmentWhoseListenerHasNoAddressIsAControlException() {
        // found by ControlFrameFuzzTest: it decoded, with a null where the worker binds an address
        byte[] payload = """
                {"type":"assignment","configFile":"","configText":"","pool":"web","workerId":1,
                 "listeners":[{"service":"web"}],"dispatchSocket":""}""".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CODEC.decode(new Packet(payload, new int[0])))
                .isInstanceOf(ControlException.class).hasMessageContaining("address");
    }
}
