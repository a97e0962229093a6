package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the real fetchmail once against a loopback server, keeping the mail there. */
final class Fetchmail {

    private Fetchmail() {
    }

    /**
     * Fetches every message of {@code user} over {@code protocol} (POP3 or IMAP), without TLS, into
     * files under {@code out}; fetchmail must exit 0.
     *
     * @return the messages as the MDA got them: fetchmail's own Received: line first, LF line ends
     */
    static List<String> fetch(String protocol, int port, String user, String password, Path out) throws IOException {
        Files.createDirectories(out);
        Path rc = out.resolve("fetchmailrc");
        Files.writeString(rc, """
                set no syslog
                poll 127.0.0.1 service %d protocol %s uidl auth password
                  user "%s" there with password "%s" is "root" here
                  sslproto ''
                  keep fetchall no rewrite
                  mda "/bin/sh -c 'cat > %s/out.$$.eml'"
                """.formatted(port, protocol, user, password, out));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        Command fetch = Command.run(out, Map.of("HOME", out.toString()), new byte[0],
                List.of("fetchmail", "-f", rc.toString(), "--nodetach", "-i", out.resolve("ids").toString()));
        assertThat(fetch.status()).as(fetch.output()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
