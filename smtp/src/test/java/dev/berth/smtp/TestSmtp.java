package dev.berth.smtp;

import dev.berth.config.ConfigSection;
import dev.berth.mailwire.DotUnstuffer;
import dev.berth.service.ServiceContext;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fixtures: a service from YAML in a temp dir, sessions, a driver speaking to a session. */
final class TestSmtp {

    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-22T05:00:00Z"));
    static final String USERS = """
            alice@example.test:{PLAIN}secret
            bob@example.test:{PLAIN}hunter2
            postmaster@example.test:{PLAIN}pm
            """;

    final Path dir;
    final SmtpServiceHandler handler;
    final AtomicInteger served;

    private TestSmtp(Path dir, SmtpServiceHandler handler, AtomicInteger served) {
        this.dir = dir;
        this.handler = handler;
        this.served = served;
    }

    /** A service over {@code dir} with the given smtp section and scanners (YAML). */
    static TestSmtp create(Path dir, String smtpYaml, String scannersYaml) {
        return create(dir, smtpYaml, scannersYaml, java.util.Optional.empty());
    }

    /** A service that counts failed AUTH in the client table file {@code clientTable}, as a worker of a host does. */
    static TestSmtp create(Path dir, String smtpYaml, String scannersYaml, java.util.Optional<Path> clientTable) {
        try {
            Files.writeString(dir.resolve("users.txt"), USERS);
            Path config = dir.resolve("berth.yaml");
            ConfigSection section = ConfigSection.parseYaml(config, smtpYaml);
            ConfigSection scanners = ConfigSection.parseYaml(config, scannersYaml);
            SmtpSettings settings = SmtpSettings.parse(section, scanners, clientTable);
            AtomicInteger served = new AtomicInteger();
            SmtpServiceHandler handler = SmtpServiceHandler.create(settings,
                    new ServiceContext("mx", served::incrementAndGet), CLOCK);
            return new TestSmtp(dir, handler, served);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The usual Maildir service, with extra YAML lines appended to the smtp section. */
    static TestSmtp maildir(Path dir, String extra) {
        return create(dir, """
                hostname: mx.example.test
                maildir: mail
                users: users.txt
                domains: [example.test]
                """ + (extra.contains("limits:") ? "" : "limits: {error-delay: 0s}\n") + extra, "");
    }

    SmtpSession session(String client) {
        try {
            return handler.newSession(InetAddress.ofLiteral(client));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one command line and returns the reply (or "" for none). */
    static String send(SmtpSession session, String line) {
        SmtpInput input = CommandParser.parse(line, line.getBytes(StandardCharsets.UTF_8).length + 2);
        return text(session.handle(input));
    }

    /** Sends an AUTH response line. */
    static String authLine(SmtpSession session, String line) {
        return text(session.handle(new SmtpInput.AuthLine(line)));
    }

    /** Sends content (already unstuffed) and the end of DATA. */
    static String data(SmtpSession session, String content) {
        session.handle(new SmtpInput.Content(Unpooled.copiedBuffer(content, StandardCharsets.UTF_8)));
        return text(session.handle(new SmtpInput.DataEnd(DotUnstuffer.Problem.NONE)));
    }

    static String text(SessionResponse response) {
        return response.reply().map(SmtpReply::toString).orElse("");
    }

    /** The files in a mailbox's new/ directory. */
    java.util.List<Path> delivered(String domain, String user) {
        Path dirNew = dir.resolve("mail").resolve(domain).resolve(user).resolve("new");
        if (!Files.isDirectory(dirNew)) {
            return java.util.List.of();
        }
        try (var files = Files.list(dirNew)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
