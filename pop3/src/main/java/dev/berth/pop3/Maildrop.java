package dev.berth.pop3;

import dev.berth.maildir.MaildirMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;

/**
 * One user's maildrop, opened and locked for a POP3 session: a snapshot of the messages taken at
 * login (new mail arriving later is not seen), their bytes, and the deletion done at QUIT.
 *
 * <p>Every method blocks on the file system; none runs on an event loop. One session uses it at
 * a time. {@link #close} releases the lock and is idempotent.
 */
interface Maildrop extends AutoCloseable {

    /** The messages of the snapshot, in a stable order (message number = index + 1). */
    List<MaildirMessage> messages();

    /**
     * Opens a message's bytes, exactly as stored; the caller closes the stream.
     *
     * @throws IOException when the file was removed by another client or cannot be read
     */
    InputStream read(MaildirMessage message) throws IOException;

    /**
     * Removes the messages (the UPDATE state); files already gone are not an error.
     *
     * @throws IOException when one could not be removed (later ones may remain too)
     */
    void delete(Collection<MaildirMessage> messages) throws IOException;

    /** Releases the lock; never throws. */
    @Override
    void close();
}
