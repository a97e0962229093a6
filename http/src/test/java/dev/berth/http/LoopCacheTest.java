package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoopCacheTest {

    private final TestHttp.ManualClock clock = new TestHttp.ManualClock();
    private final LoopCache cache = new LoopCache(clock, FixedResponse.of("hello\n", "text/plain; charset=utf-8"));
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Test
    void responsesWithinASecondShareOnePrebuiltBuffer() {
        ByteBuf first = cache.fixedResponse(alloc, Persistence.KEEP_ALIVE, false);
        ByteBuf second = cache.fixedResponse(alloc, Persistence.KEEP_ALIVE, false);
        try {
            // a duplicate reports the prebuilt buffer's count: the cache's reference plus one each
            assertThat(first.refCnt()).isEqualTo(3);
            assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo(TestHttp.hello("", false));
        } finally {
            first.release();
            second.release();
        }
        cache.release();
    }

    @Test
    void aNewSecondDropsTheOldBuffersOnceTheirLastWriteIsDone() {
        ByteBuf old = cache.fixedResponse(alloc, Persistence.CLOSE, true);
        clock.advanceMillis(1000);

        ByteBuf fresh = cache.fixedResponse(alloc, Persistence.CLOSE, true);

        assertThat(old.refCnt()).isEqualTo(1);
        assertThat(fresh.toString(StandardCharsets.US_ASCII)).contains("00:00:01 GMT");
        old.release();
        fresh.release();
        assertThat(old.refCnt()).isZero();
        cache.release();
        assertThat(fresh.refCnt()).isZero();
    }

    @Test
    void afterReleaseResponsesAreBuiltUncached() {
        cache.release();

        ByteBuf response = cache.fixedResponse(alloc, Persistence.KEEP_ALIVE_ANNOUNCED, false);

        assertThat(response.refCnt()).isEqualTo(1);
        assertThat(response.toString(StandardCharsets.US_ASCII)).isEqualTo(TestHttp.hello("keep-alive", false));
        response.release();
    }
}
