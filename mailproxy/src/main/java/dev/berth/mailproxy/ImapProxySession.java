package dev.berth.mailproxy;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.Optional;

/**
 * The not-authenticated state of an IMAP proxy connection, without a channel: CAPABILITY,
 * STARTTLS, LOGIN, AUTHENTICATE PLAIN (with SASL-IR or a continuation), ID, NOOP and LOGOUT.
 * A routed login yields {@link ProxyStep.Login}; a name the router refuses gets
 * {@code NO [AUTHENTICATIONFAILED]} and nothing is connected. Other commands get {@code BAD}; after
 * ten refusals the connection is closed.
 *
 * <p>Confined to the connection's event loop; pure (no I/O).
 */
final class ImapProxySession implements ProxySession {

    private static final int MAX_ERRORS = 10;

    private final UpstreamRouter router;
    private final boolean tlsOffered;
    private final ImapRequestReader reader = new ImapRequestReader();
    private boolean tlsActive;
    private String saslTag;
    private String loginTag = "*";
    private int errors;

    /**
     * @param router picks the upstream of a login
     * @param tlsOffered whether STARTTLS is offered
     */
    /** A verb echoed in a reply must be an atom: a CR or LF from a literal would forge reply lines. */
    private static final java.util.regex.Pattern ATOM = java.util.regex.Pattern.compile("[!#$&'+,\\-./0-9:;<=>?@A-Z^_`a-z|}~\\[]{1,64}");

    ImapProxySession(UpstreamRouter router, boolean tlsOffered) {
        this.router = Objects.requireNonNull(router, "router");
        this.tlsOffered = tlsOffered;
    }

    /** The greeting, with the capabilities as a response code. */
    @Override
    public String greeting() {
        return "* OK [CAPABILITY " + capabilities() + "] berth IMAP proxy ready.";
    }

    @Override
    public int maxLine() {
        return ImapRequestReader.MAX_LINE;
    }

    /**
     * Reads one command with {@link ImapRequestReader} (a synchronising literal yields the
     * {@code +} continuation), or the response line to an AUTHENTICATE challenge.
     */
    @Override
    public Optional<ProxyStep> next(LineBuffer buffer) {
        ByteBuf in = buffer.bytes();
        if (saslTag != null) {
            String line = reader.readLine(in);
            if (line == null) {
                return in.readableBytes() > ImapRequestReader.MAX_LINE ? Optional.of(tooLong()) : Optional.empty();
            }
            return Optional.of(handle(new ImapCommand.SaslResponse(saslTag, line)));
        }
        return switch (reader.read(in)) {
            case ImapRequestReader.Result.Command command -> Optional.of(handle(command.command()));
            case ImapRequestReader.Result.Continue c -> Optional.of(reply("+ Ready for literal data"));
            case ImapRequestReader.Result.TooLong t -> Optional.of(new ProxyStep.Reply("* BYE " + t.what(), true));
            case ImapRequestReader.Result.NeedMore n -> Optional.empty();
        };
    }

    @Override
    public LoginDialogue dialogue(UpstreamLogin login) {
        return new ImapLoginDialogue(login);
    }

    /** The untagged lines that came with the upstream's OK, then the OK under the client's tag. */
    @Override
    public String loggedIn(LoginStep.Succeeded success) {
        StringBuilder text = new StringBuilder();
        success.untagged().forEach(line -> text.append(line).append("\r\n"));
        return text.append(loginTag).append(' ').append(success.reply()).toString();
    }

    @Override
    public String unavailable() {
        return "NO [UNAVAILABLE] upstream unavailable";
    }

    @Override
    public String bye(String reason) {
        return "* BYE " + reason;
    }

    /** The tag of an AUTHENTICATE waiting for the client's response line, if any. */
    Optional<String> saslTag() {
        return Optional.ofNullable(saslTag);
    }

    /** The next step for a command. */
    ProxyStep handle(ImapCommand command) {
        String tag = command.tag();
        return switch (command) {
            case ImapCommand.Capability c -> reply("* CAPABILITY " + capabilities() + "\r\n" + tag + " OK CAPABILITY completed");
            case ImapCommand.StartTls s -> {
                if (!tlsOffered || tlsActive) {
                    yield bad(tag, tlsActive ? "TLS is already active" : "STARTTLS not available");
                }
                tlsActive = true;
                yield new ProxyStep.StartTls(tag + " OK Begin TLS negotiation now");
            }
            case ImapCommand.Login l -> login(tag, new Credentials(l.user(), l.password()));
            case ImapCommand.Authenticate a -> authenticate(a);
            case ImapCommand.SaslResponse r -> {
                saslTag = null;
                yield r.text().equals("*") ? bad(tag, "AUTHENTICATE cancelled") : plain(tag, r.text());
            }
            case ImapCommand.Id i -> reply("* ID (\"name\" \"berth\")\r\n" + tag + " OK ID completed");
            case ImapCommand.Noop n -> reply(tag + " OK NOOP completed");
            case ImapCommand.Logout l -> new ProxyStep.Reply("* BYE logging out\r\n" + tag + " OK LOGOUT completed", true);
            case ImapCommand.Other o -> bad(tag, (ATOM.matcher(o.verb()).matches() ? o.verb() : "that command") + " is not allowed before login");
            case ImapCommand.Bad b -> bad(tag.isEmpty() ? "*" : tag, b.text());
        };
    }

    /** Answers under the login's tag; counts as a refusal but never closes. */
    @Override
    public ProxyStep loginFailed(String reply) {
        errors++;
        return reply(loginTag + " " + reply);
    }

    private ProxyStep authenticate(ImapCommand.Authenticate a) {
        if (!a.mechanism().equals("PLAIN")) {
            return no(a.tag(), "unsupported mechanism");
        }
        if (a.initial().isEmpty()) {
            saslTag = a.tag();
            return reply("+ ");
        }
        return plain(a.tag(), a.initial().equals("=") ? "" : a.initial());
    }

    private ProxyStep plain(String tag, String response) {
        return Credentials.fromPlain(response).map(c -> login(tag, c))
                .orElseGet(() -> bad(tag, "malformed PLAIN response"));
    }

    private ProxyStep login(String tag, Credentials credentials) {
        if (!ImapLoginDialogue.quotable(credentials.user()) || !ImapLoginDialogue.quotable(credentials.password())) {
            return no(tag, "user names and passwords with CR, LF or NUL cannot be proxied");
        }
        return switch (router.route(credentials.user())) {
            case Routing.Routed routed -> {
                loginTag = tag;
                yield new ProxyStep.Login(routed, credentials.password());
            }
            case Routing.Refused refused -> no(tag, refused.reason());
        };
    }

    private String capabilities() {
        return "IMAP4rev1 SASL-IR ID " + (tlsOffered && !tlsActive ? "STARTTLS " : "") + "AUTH=PLAIN";
    }

    private static ProxyStep tooLong() {
        return new ProxyStep.Reply("* BYE line or literal too long", true);
    }

    private static ProxyStep reply(String text) {
        return new ProxyStep.Reply(text, false);
    }

    private ProxyStep no(String tag, String text) {
        return refusal(tag + " NO [AUTHENTICATIONFAILED] " + text);
    }

    private ProxyStep bad(String tag, String text) {
        return refusal(tag + " BAD " + text);
    }

    private ProxyStep refusal(String text) {
        errors++;
        return errors >= MAX_ERRORS ? new ProxyStep.Reply(text + "\r\n* BYE too many errors", true) : reply(text);
    }
}
