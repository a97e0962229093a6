package dev.berth.http;

import java.io.File;

/** What a request target names under a static root: a closed set of outcomes. */
sealed interface FileLookup {

    /**
     * A readable regular file inside the root.
     *
     * @param file the file's real path, symlinks resolved
     * @param contentType by the requested name's extension
     * @param length in bytes, when it was looked up
     * @param lastModifiedMillis modification time, epoch milliseconds
     */
    record Found(File file, String contentType, long length, long lastModifiedMillis) implements FileLookup {
    }

    /**
     * A directory asked for without its trailing slash: the browser must come back with one so
     * that relative links in its index resolve.
     *
     * @param location the target with {@code /} added to the path, query kept
     */
    record Redirect(String location) implements FileLookup {
    }

    /** Nothing servable: missing, outside the root, refused, or not a regular file. */
    record NotFound() implements FileLookup {
    }

    /** The target is not a path, or its percent escapes are not UTF-8. */
    record Malformed() implements FileLookup {
    }
}
