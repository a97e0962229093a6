package dev.berth.maildir;

import java.nio.file.Path;

/**
 * A users file that cannot be used: the message names {@code file:line} and what is wrong.
 * Unchecked; thrown while loading, never while authenticating.
 */
public final class UsersFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception for line {@code line} (1-based) of {@code file}. */
    public UsersFileException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
