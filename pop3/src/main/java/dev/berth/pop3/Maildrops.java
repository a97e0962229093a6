package dev.berth.pop3;

import dev.berth.maildir.Authentication;
import dev.berth.maildir.MailUser;
import java.io.IOException;

/**
 * Where a session finds its users and their maildrops. Thread-safe; every method may block
 * (password hashing, file system), so sessions call them off the event loop.
 */
interface Maildrops {

    /**
     * Checks a login name (as the users file has it, such as {@code alice@example.test}) and
     * password.
     *
     * @return the user, a refusal (unknown user or wrong password), or busy (not checked now)
     */
    Authentication authenticate(String login, String password);

    /**
     * Locks and opens a user's maildrop; new mail moves from {@code new/} to {@code cur/}.
     *
     * @throws MaildropInUseException when another session holds the lock
     * @throws LoginTooSoonException when the user's previous login is more recent than the login delay
     * @throws IOException when the maildrop cannot be opened
     */
    Maildrop open(MailUser user) throws IOException;
}
