package dev.berth.smtp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8 decoding of command lines: malformed input is an answer, never U+FFFD. Pure. */
final class Utf8 {

    private Utf8() {
    }

    /** The bytes as text, or empty when they are not well-formed UTF-8 (overlong forms included). */
    static Optional<String> decode(ByteBuf in, int index, int length) {
        if (in.forEachByte(index, length, b -> b >= 0) < 0) {
            return Optional.of(in.toString(index, length, StandardCharsets.US_ASCII));
        }
        ByteBuffer bytes = in.nioBuffer(index, length);
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
