package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void typeFollowsTheLastExtensionWhateverItsCase() {
        assertThat(MediaTypes.of("app.min.JS")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(MediaTypes.of("photo.jpeg")).isEqualTo("image/jpeg");
        assertThat(MediaTypes.of("module.wasm")).isEqualTo("application/wasm");
    }

    @Test
    void unknownOrMissingExtensionIsOctetStream() {
        assertThat(MediaTypes.of("archive.tar.zst")).isEqualTo(MediaTypes.DEFAULT);
        assertThat(MediaTypes.of("README")).isEqualTo(MediaTypes.DEFAULT);
        assertThat(MediaTypes.of("trailing.")).isEqualTo(MediaTypes.DEFAULT);
    }
}
