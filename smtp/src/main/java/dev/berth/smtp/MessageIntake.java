package dev.berth.smtp;

import io.netty.buffer.ByteBuf;
import dev.berth.scan.Spool;
import java.util.Optional;

/**
 * The message part of one transaction: DATA, or a series of BDAT chunks (RFC 3030), into a
 * {@link MessageBuffer}. A refused BDAT still has its chunk read (by the decoder) and dropped
 * here; its reply comes at the chunk's end.
 *
 * <pre>
 *  idle --startData--> data --(end)--> idle
 *  idle --startChunk--> chunk --chunkEnd, not last--> chunked --startChunk--> chunk ...
 *                       chunk --chunkEnd, last--> (session finishes the message) --> idle
 * </pre>
 *
 * <p>Not thread-safe: the session's, one call at a time. Owns the buffer; {@link #close()} drops it.
 */
final class MessageIntake implements AutoCloseable {

    private final Spool spool;
    private final long maxSize;
    private MessageBuffer message;
    private boolean chunking;
    private boolean chunkLast;
    private Optional<SmtpReply> chunkFailure = Optional.empty();

    MessageIntake(Spool spool, long maxSize) {
        this.spool = spool;
        this.maxSize = maxSize;
    }

    /** Whether a message is being received. */
    boolean active() {
        return message != null;
    }

    /** The message being received; only while {@link #active()}. */
    MessageBuffer message() {
        return message;
    }

    /** Whether appending {@code octets} writes to the spool file (blocking). */
    boolean blocksOnContent(int octets) {
        return message != null && chunkFailure.isEmpty() && message.wouldBlock(octets);
    }

    /** Whether the end of the current chunk completes the message (delivery blocks). */
    boolean chunkCompletes() {
        return chunkLast && chunkFailure.isEmpty() && message != null;
    }

    /** Takes content (kept or dropped); the caller releases the buffer. */
    void content(ByteBuf bytes) {
        if (message != null && chunkFailure.isEmpty()) {
            message.append(bytes);
        }
    }

    /**
     * DATA: starts the message, or says why not.
     *
     * @param refusal the session's refusal (no MAIL, no recipients), if any
     */
    Optional<SmtpReply> startData(Optional<SmtpReply> refusal) {
        if (chunking) {
            return Optional.of(SmtpReply.of(503, "5.5.1", "Error: DATA after BDAT"));
        }
        if (refusal.isEmpty()) {
            message = new MessageBuffer(spool, maxSize);
        }
        return refusal;
    }

    /** BDAT: the chunk is taken, or refused with {@code refusal} at its end. */
    void startChunk(boolean last, Optional<SmtpReply> refusal) {
        chunkLast = last;
        chunkFailure = refusal;
        if (refusal.isEmpty() && message != null && !chunking) {
            chunkFailure = Optional.of(SmtpReply.of(503, "5.5.1", "Error: BDAT after DATA"));
        } else if (refusal.isEmpty()) {
            chunking = true;
            if (message == null) {
                message = new MessageBuffer(spool, maxSize);
            }
        }
    }

    /**
     * The end of a chunk: the reply for a refused chunk, or for a chunk that is not the last (250
     * with the octets so far); empty when the message is complete (or over the size limit) and the
     * session must finish it.
     */
    Optional<SmtpReply> chunkEnd() {
        if (chunkFailure.isPresent()) {
            Optional<SmtpReply> failure = chunkFailure;
            chunkFailure = Optional.empty();
            return failure;
        }
        if (!chunkLast && !message.tooBig()) {
            return Optional.of(SmtpReply.of(250, "2.0.0", message.size() + " octets received"));
        }
        return Optional.empty();
    }

    /** Drops the message (and its spool file: blocking when spilled). */
    @Override
    public void close() {
        chunking = false;
        chunkFailure = Optional.empty();
        if (message != null) {
            message.close();
            message = null;
        }
    }
}
