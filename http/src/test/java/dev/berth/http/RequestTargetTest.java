package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void originFormIsSplitIntoPathAndQuery() {
        assertThat(RequestTarget.parse("/a/b?x=1&y#frag")).contains(new RequestTarget("/a/b", "?x=1&y"));
    }

    @Test
    void absoluteFormKeepsOnlyPathAndQuery() {
        assertThat(RequestTarget.parse("http://h:80/a?q")).contains(new RequestTarget("/a", "?q"));
        assertThat(RequestTarget.parse("http://h?q")).contains(new RequestTarget("/", "?q"));
        assertThat(RequestTarget.parse("https://h")).contains(new RequestTarget("/", ""));
    }

    @Test
    void otherFormsAreNotPaths() {
        assertThat(RequestTarget.parse("*")).isEmpty();
        assertThat(RequestTarget.parse("example.test:443")).isEmpty();
    }

    @Test
    void escapesDecodeAsUtf8() {
        assertThat(new RequestTarget("/caf%C3%A9%20x+y", "").decodedPath()).contains("/café x+y");
    }

    @Test
    void rawUtf8BytesDecodeAsUtf8() {
        String sentAsBytes = new String("/café".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(new RequestTarget(sentAsBytes, "").decodedPath()).contains("/café");
    }

    @Test
    void brokenEscapesAreRejected() {
        assertThat(new RequestTarget("/a%2", "").decodedPath()).isEmpty();
        assertThat(new RequestTarget("/a%g0", "").decodedPath()).isEmpty();
        assertThat(new RequestTarget("/%ff", "").decodedPath()).isEmpty();
    }
}
