package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the users-file parser and the look-ups over what it accepts. Holds that any text is
 * either a users file or a {@link UsersFileException} naming {@code users.txt:N} with N a line of
 * the file; that every address a parsed file names is found again; and that looking up or logging
 * in as any string throws nothing. Logins are tried only when every hash is cheap to verify
 * (plain and digests), since the fuzzer would otherwise spend its time inside bcrypt and Argon2.
 * Seeds: {@code UsersFileFuzzTestInputs/}.
 */
class UsersFileFuzzTest {

    private static final Path FILE = Path.of("users.txt");
    private static final Pattern LOCATED = Pattern.compile("users\\.txt:([0-9]+): .+", Pattern.DOTALL);
    private static final Pattern SLOW = Pattern.compile("\\{(ARGON2|BLF-CRYPT|CRYPT|SHA512-CRYPT|SHA256-CRYPT|MD5-CRYPT)");

    @FuzzTest
    void anyTextIsAUsersFileOrALocatedError(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        Users users;
        try {
            users = Users.parse(FILE, lines);
        } catch (UsersFileException e) {
            Matcher at = LOCATED.matcher(e.getMessage());
            assertThat(at.matches()).as("message %s", e.getMessage()).isTrue();
            assertThat(Integer.parseInt(at.group(1))).isBetween(1, lines.size());
            return;
        }
        for (String line : lines) {
            String entry = line.strip();
            int colon = entry.indexOf(':');
            if (colon > 0 && !entry.startsWith("#")) {
                assertThat(users.find(entry.substring(0, colon))).as("user of line %s", line).isPresent();
            }
            users.find(line);
        }
        if (!SLOW.matcher(text.toUpperCase(Locale.ROOT)).find()) {
            for (String line : lines) {
                users.authenticate(line, line);
            }
        }
    }
}
