package dev.berth.smtp;

import dev.berth.mailwire.DotUnstuffer;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link SmtpDecoder} makes of the bytes: a command, a line that could not be read as one
 * (with its reply ready), an AUTH response line, message content or the end of DATA or a BDAT
 * chunk. Closed set, so the session's {@code switch} is exhaustive.
 */
sealed interface SmtpInput {

    /** A command line the decoder understood. */
    sealed interface SmtpCommand extends SmtpInput {
    }

    /** HELO (extended false) or EHLO. */
    record Helo(String domain, boolean extended) implements SmtpCommand {
    }

    /** MAIL FROM; {@code path} is the address without brackets, empty for {@code <>}. */
    record Mail(String path, Map<String, String> params) implements SmtpCommand {
        public Mail {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }
    }

    /** RCPT TO; {@code path} is the address without brackets (or {@code Postmaster}). */
    record Rcpt(String path, Map<String, String> params) implements SmtpCommand {
        public Rcpt {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }
    }

    /** DATA. */
    record Data() implements SmtpCommand {
    }

    /** BDAT; the decoder reads exactly {@code size} octets after the line, as {@link Content}. */
    record Bdat(long size, boolean last) implements SmtpCommand {
    }

    /** RSET. */
    record Rset() implements SmtpCommand {
    }

    /** NOOP. */
    record Noop() implements SmtpCommand {
    }

    /** QUIT. */
    record Quit() implements SmtpCommand {
    }

    /** STARTTLS. */
    record StartTls() implements SmtpCommand {
    }

    /** VRFY with its argument. */
    record Vrfy(String argument) implements SmtpCommand {
    }

    /** HELP. */
    record Help() implements SmtpCommand {
    }

    /** AUTH mechanism [initial-response]; {@code "="} is an empty initial response. */
    record Auth(String mechanism, Optional<String> initial) implements SmtpCommand {
    }

    /** A verb this server does not know. */
    record Unknown(String verb) implements SmtpCommand {
    }

    /** A line that is not a valid command; the reply (500/501) says why. */
    record Invalid(SmtpReply reply) implements SmtpInput {
    }

    /** A line answering a 334 challenge (base64, or {@code *} to cancel). */
    record AuthLine(String line) implements SmtpInput {
    }

    /**
     * Message bytes of DATA (already dot-unstuffed) or of a BDAT chunk. Reference-counted: whoever
     * receives it releases it.
     */
    record Content(ByteBuf bytes) implements SmtpInput, ReferenceCounted {
        @Override
        public int refCnt() {
            return bytes.refCnt();
        }

        @Override
        public Content retain() {
            bytes.retain();
            return this;
        }

        @Override
        public Content retain(int increment) {
            bytes.retain(increment);
            return this;
        }

        @Override
        public Content touch() {
            bytes.touch();
            return this;
        }

        @Override
        public Content touch(Object hint) {
            bytes.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return bytes.release();
        }

        @Override
        public boolean release(int decrement) {
            return bytes.release(decrement);
        }
    }

    /**
     * The end of DATA ({@code CRLF.CRLF}) and what was wrong with the content, if anything; the
     * message is then rejected and the session lives.
     */
    record DataEnd(DotUnstuffer.Problem problem) implements SmtpInput {
    }

    /** The last octet of a BDAT chunk has been read. */
    record ChunkEnd() implements SmtpInput {
    }
}
