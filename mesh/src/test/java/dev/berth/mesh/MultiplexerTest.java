package dev.berth.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy-to-proxy multiplexer (HTTP/2 with {@link ClientStreams} and {@link ServerStreams}) on
 * embedded channels: whole conversations fed in pieces split at every byte, replies out of order,
 * cancel, drain, and fuzzed frames.
 */
class MultiplexerTest {

    private static final long NOW = 1_000_000_000_000L;

    /** A calling side on an embedded channel, with the outcomes it got. */
    private static final class Caller {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ClientStreams streams;
        final List<Outcome> outcomes = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        Caller() {
            streams = new ClientStreams("a", () -> NOW, new ClientStreams.Events() {
                @Override
                public void onHello(String node) {
                    events.add("hello " + node);
                }

                @Override
                public void onPingAck(long sent) {
                    events.add("ping");
                }

                @Override
                public void onDrain() {
                    events.add("drain");
                }
            });
            Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().server(false).frameListener(streams)
                    .initialSettings(MeshWire.settings()).build();
            channel.pipeline().addLast(handler);
            streams.attach(handler, channel.pipeline().context(handler));
        }

        int call(String group, String payload) {
            return streams.call(new Exchange.Request(group, "k", "t", "a", payload.getBytes(StandardCharsets.UTF_8),
                    NOW + 2_000_000_000L), outcomes::add);
        }

        byte[] written() {
            return drain(channel);
        }
    }

    /** An answering side whose executor answers at once with the group and payload, or holds the calls. */
    private static final class Answerer {
        final List<Exchange.Request> requests = new ArrayList<>();
        final List<Exchange.Origin> held = new ArrayList<>();
        final AtomicInteger cancels = new AtomicInteger();
        final EmbeddedChannel channel = new EmbeddedChannel();

        Answerer(boolean hold) {
            MeshServer.install(channel, "b", (request, origin) -> {
                requests.add(request);
                if (hold) {
                    held.add(origin);
                } else {
                    origin.complete(new Outcome.Ok("b", (request.group() + ":" + new String(request.payload(),
                            StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
                }
                return cancels::incrementAndGet;
            }, () -> NOW);
        }

        byte[] written() {
            return drain(channel);
        }
    }

    private static byte[] drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            all.writeBytes(buf);
            buf.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    private static void feed(EmbeddedChannel channel, byte[] bytes, int split) {
        if (split > 0) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        }
        if (split < bytes.length) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        }
        channel.runPendingTasks();
        channel.checkException();
    }

    private static Outcome.Ok ok(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Ok.class);
        return (Outcome.Ok) outcome;
    }

    private static String text(Outcome outcome) {
        return new String(ok(outcome).payload(), StandardCharsets.UTF_8);
    }

    @Test
    void twoCallsAndTheirRepliesSurviveASplitAtEveryByte() {
        byte[] request = conversationRequest(new Caller());
        byte[] reply = null;
        for (int split = 0; split <= request.length; split++) {
            Caller caller = new Caller();
            assertThat(conversationRequest(caller)).isEqualTo(request);
            Answerer answerer = new Answerer(false);
            feed(answerer.channel, request, split);
            assertThat(answerer.requests).extracting(Exchange.Request::group).containsExactly("quotes", "photos");
            assertThat(answerer.requests.get(1).payload()).hasSize(40_000);
            byte[] answer = answerer.written();
            if (reply == null) {
                reply = answer;
            }
            feed(caller.channel, answer, split % (answer.length + 1));
            assertThat(caller.outcomes).hasSize(2);
            assertThat(text(caller.outcomes.get(0))).isEqualTo("quotes:q");
            assertThat(text(caller.outcomes.get(1))).startsWith("photos:xxxx").hasSize(40_007);
            assertThat(ok(caller.outcomes.get(0)).node()).isEqualTo("b");
        }
        for (int split = 0; split <= reply.length; split += 7) {
            Caller caller = new Caller();
            conversationRequest(caller);
            feed(caller.channel, reply, split);
            assertThat(caller.outcomes).hasSize(2);
        }
    }

    /** Two calls, the second larger than a frame (so it is fragmented); the bytes the caller wrote. */
    private static byte[] conversationRequest(Caller caller) {
        caller.call("quotes", "q");
        caller.call("photos", "x".repeat(40_000));
        return caller.written();
    }

    @Test
    void repliesMayComeInAnotherOrderThanTheCalls() {
        Caller caller = new Caller();
        Answerer answerer = new Answerer(true);
        int first = caller.call("g", "1");
        int second = caller.call("g", "2");
        assertThat(second).isGreaterThan(first);
        feed(answerer.channel, caller.written(), 0);
        answerer.held.get(1).complete(new Outcome.Ok("b", "two".getBytes(StandardCharsets.UTF_8)));
        feed(caller.channel, answerer.written(), 0);
        assertThat(caller.outcomes).hasSize(1);
        assertThat(text(caller.outcomes.get(0))).isEqualTo("two");
        answerer.held.get(0).complete(new Outcome.Ok("b", "one".getBytes(StandardCharsets.UTF_8)));
        feed(caller.channel, answerer.written(), 0);
        assertThat(text(caller.outcomes.get(1))).isEqualTo("one");
    }

    @Test
    void cancelResetsTheStreamAndTheAnswerIsDropped() {
        Caller caller = new Caller();
        Answerer answerer = new Answerer(true);
        int stream = caller.call("g", "1");
        feed(answerer.channel, caller.written(), 0);
        caller.streams.cancel(stream);
        feed(answerer.channel, caller.written(), 0);
        assertThat(answerer.cancels).hasValue(1);
        answerer.held.get(0).complete(new Outcome.Ok("b", new byte[0]));
        feed(caller.channel, answerer.written(), 0);
        assertThat(caller.outcomes).isEmpty();
    }

    @Test
    void errorsComeBackAsTheirOutcomes() {
        Caller caller = new Caller();
        Answerer answerer = new Answerer(true);
        for (int i = 0; i < 3; i++) {
            caller.call("g", "" + i);
        }
        feed(answerer.channel, caller.written(), 0);
        answerer.held.get(0).complete(new Outcome.HandlerError("b", "boom"));
        answerer.held.get(1).complete(new Outcome.Unavailable("b", "no worker"));
        answerer.held.get(2).complete(new Outcome.Timeout("b"));
        feed(caller.channel, answerer.written(), 0);
        assertThat(caller.outcomes).hasSize(3);
        assertThat(caller.outcomes.get(0)).isEqualTo(new Outcome.HandlerError("b", "boom"));
        assertThat(caller.outcomes.get(1)).isEqualTo(new Outcome.Unavailable("b", "no worker"));
        assertThat(caller.outcomes.get(2)).isEqualTo(new Outcome.Timeout("b"));
    }

    @Test
    void helloNamesThePeerAndPingsAreAnswered() {
        Caller caller = new Caller();
        Answerer answerer = new Answerer(false);
        caller.streams.hello();
        caller.streams.ping();
        feed(answerer.channel, caller.written(), 0);
        feed(caller.channel, answerer.written(), 0);
        assertThat(caller.events).containsExactly("hello b", "ping");
    }

    @Test
    void drainFailsOnlyTheCallsThePeerDidNotTakeAndStopsNewOnes() {
        Caller caller = new Caller();
        Answerer answerer = new Answerer(true);
        caller.call("g", "1");
        feed(answerer.channel, caller.written(), 0);
        answerer.channel.close();
        feed(caller.channel, answerer.written(), 0);
        assertThat(caller.events).contains("drain");
        assertThat(caller.streams.usable()).isFalse();
        caller.call("g", "2");
        assertThat(caller.outcomes).hasSize(1).first().isInstanceOf(Outcome.Unavailable.class);
    }

    @Test
    void aClosedConnectionFailsEveryOpenCallSoAnotherMemberCanTakeIt() {
        Caller caller = new Caller();
        caller.call("g", "1");
        caller.call("g", "2");
        caller.streams.closed("gone");
        assertThat(caller.outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Unavailable.class));
    }

    @Test
    void fuzzedFramesNeverCrashTheAnsweringSide() {
        byte[] request = conversationRequest(new Caller());
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = request.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                bytes[24 + random.nextInt(bytes.length - 24)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length) : bytes.length;
            Answerer answerer = new Answerer(false);
            try {
                answerer.channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, length));
                answerer.channel.runPendingTasks();
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " escaped the codec", e);
            }
            answerer.written();
            assertThat(answerer.requests).allSatisfy(r -> assertThat(r.group()).isNotEmpty());
            answerer.channel.finishAndReleaseAll();
        }
    }
}
