package dev.berth.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An account from the password database.
 *
 * @param name the login name
 * @param uid its user id
 * @param gid its primary group id
 */
record UnixUser(String name, int uid, int gid) {

    /**
     * Looks a user up by name or numeric id in {@code passwd} (the format of /etc/passwd).
     *
     * @return the user, or empty when there is none
     * @throws IOException when the file cannot be read
     */
    static Optional<UnixUser> lookup(String nameOrId, Path passwd) throws IOException {
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            String[] f = line.split(":");
            if (f.length >= 4 && (f[0].equals(nameOrId) || f[2].equals(nameOrId))) {
                return Optional.of(new UnixUser(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
            }
        }
        return Optional.empty();
    }
}
