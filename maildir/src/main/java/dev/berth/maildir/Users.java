package dev.berth.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The local users, from a Dovecot passwd-file: one {@code user@domain:{SCHEME}hash} per line,
 * optionally followed by more {@code :}-separated fields (ignored); {@code #} comments and blank
 * lines are skipped; a name without {@code @} is a user without a domain.
 *
 * <p>Schemes: {@code {PLAIN}}, {@code {CLEARTEXT}}, {@code {SHA512-CRYPT}}, {@code {SHA256-CRYPT}},
 * {@code {MD5-CRYPT}}, {@code {BLF-CRYPT}} ({@code $2y$}, {@code $2b$}, {@code $2a$}),
 * {@code {ARGON2ID}} and {@code {ARGON2I}} (the {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}
 * form written by {@code doveadm pw}), {@code {CRYPT}} holding any of the crypt forms above, and
 * the digests {@code {SHA512}}, {@code {SHA256}}, {@code {SHA}} and their salted forms
 * {@code {SSHA512}}, {@code {SSHA256}}, {@code {SSHA}} (base64; unsalted ones also in hex).
 *
 * <p>Lookups follow Dovecot: the name is case-sensitive, the domain is not. Instances are
 * immutable and thread-safe. Loading does file I/O; {@link #authenticate} is CPU-bound and may
 * take a second for Argon2 or bcrypt, so callers run it off the event loop.
 */
public interface Users {

    /**
     * Reads and parses a users file (UTF-8). Blocking.
     *
     * @throws IOException if the file cannot be read
     * @throws UsersFileException naming {@code file:line} if a line is malformed, has no or an
     *     unknown {@code {SCHEME}}, a malformed hash, or repeats a user
     */
    static Users load(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the lines of a users file; {@code file} is only used in error messages. No I/O.
     *
     * @throws UsersFileException as for {@link #load}
     */
    static Users parse(Path file, List<String> lines) {
        return PasswdFileUsers.parse(file, lines);
    }

    /**
     * Finds a user by address ({@code name@domain}, or a bare name for a domain-less user).
     * Never throws for malformed input: such an address is simply not found.
     */
    Optional<MailUser> find(String address);

    /**
     * Finds the user for {@code login} and verifies {@code password} against the stored hash
     * (constant-time for plain passwords). An unknown user costs as much as a known one (a decoy
     * hash is verified), so timing does not reveal which users exist. Thread-safe; CPU-bound and
     * possibly slow (Argon2, bcrypt): never call it on an event loop.
     *
     * <p>Verifications are admitted by the memory they need (Argon2 needs {@code m} KiB each)
     * within a budget of three quarters of the process's heap, shared by every users file of the
     * process, and at most one per core at a time; a caller waits for its turn up to 10 seconds
     * behind at most 64 others, and gets {@link Authentication.Busy} past that (the protocol then
     * answers with a temporary failure instead of the process running out of memory).
     */
    Authentication authenticate(String login, String password);

    /** Whether at least one user has this domain (case-insensitive); {@code ""} for no domain. */
    boolean hasDomain(String domain);
}
