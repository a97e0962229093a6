package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testpeers.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hashes made now by Dovecot's own {@code doveadm pw}, when it is installed. */
class DoveadmHashesTest {

    @ParameterizedTest
    @ValueSource(strings = {"SHA512-CRYPT", "SHA256-CRYPT", "MD5-CRYPT", "BLF-CRYPT", "ARGON2ID", "ARGON2I", "PLAIN", "CRYPT", "SHA", "SHA256", "SHA512", "SSHA", "SSHA256", "SSHA512"})
    void aHashFromDoveadmAcceptsTheRightPasswordOnly(String scheme) throws Exception {
        Path doveadm = onPath("doveadm");
        assumeThat(doveadm).as("doveadm on the PATH").isNotNull();
        // no ":" in it: a passwd-file cannot hold one in a {PLAIN} password
        String password = "s3cret \u00e9t\u00e9 #";
        String hash = doveadm(doveadm, "pw", "-s", scheme, "-p", password);
        assertThat(hash).startsWith("{" + scheme + "}");

        Users users = Users.parse(Path.of("generated"), List.of("# by doveadm", "alice@example.test:" + hash));

        assertThat(users.authenticate("alice@example.test", password)).isEqualTo(new Authentication.Accepted(new MailUser("alice", "example.test")));
        assertThat(users.authenticate("alice@example.test", "s3cret")).isEqualTo(new Authentication.Refused());
        assertThat(users.authenticate("alice@example.test", "wrong")).isEqualTo(new Authentication.Refused());
    }

    private static String doveadm(Path doveadm, String... args) {
        return Commands.output(Stream.concat(Stream.of(doveadm.toString()), Stream.of(args)).toList()).strip();
    }

    static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/sbin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
