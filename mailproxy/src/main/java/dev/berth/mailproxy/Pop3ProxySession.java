package dev.berth.mailproxy;

import dev.berth.mailwire.Pop3Command;
import java.util.Objects;
import java.util.Optional;

/**
 * The AUTHORIZATION state of a POP3 proxy connection, without a channel: answers CAPA, STLS, USER,
 * PASS, AUTH PLAIN (with or without an initial response) and QUIT itself; everything else is
 * refused until the login. A complete login yields {@link ProxyStep.Login} for a routed user or
 * {@code -ERR [AUTH] ...} for a name the router refuses (nothing is connected). APOP is neither
 * offered nor accepted. After ten refused commands the connection is closed.
 *
 * <p>Confined to the connection's event loop; pure (no I/O).
 */
final class Pop3ProxySession implements ProxySession {

    private static final int MAX_ERRORS = 10;
    private static final int MAX_LINE = 1024;

    private final UpstreamRouter router;
    private final boolean tlsOffered;
    private boolean tlsActive;
    private boolean saslPending;
    private String user;
    private int errors;

    /**
     * @param router picks the upstream of a login
     * @param tlsOffered whether STLS is offered (the service has a TLS identity)
     */
    Pop3ProxySession(UpstreamRouter router, boolean tlsOffered) {
        this.router = Objects.requireNonNull(router, "router");
        this.tlsOffered = tlsOffered;
    }

    @Override
    public String greeting() {
        return "+OK berth POP3 proxy ready.";
    }

    @Override
    public int maxLine() {
        return MAX_LINE;
    }

    /** Reads one line: a command, or the answer to an AUTH challenge. */
    @Override
    public Optional<ProxyStep> next(LineBuffer in) {
        try {
            return in.nextLine().map(line -> handle(saslPending ? new Pop3Command.SaslResponse(line) : Pop3Command.parse(line)));
        } catch (LineBuffer.TooLongException e) {
            return Optional.of(new ProxyStep.Reply("-ERR line too long", true));
        }
    }

    @Override
    public LoginDialogue dialogue(UpstreamLogin login) {
        return new Pop3LoginDialogue(login);
    }

    /** The upstream's {@code +OK} line as it is. */
    @Override
    public String loggedIn(LoginStep.Succeeded success) {
        return success.reply();
    }

    /** The next step for a command. */
    ProxyStep handle(Pop3Command command) {
        return switch (command) {
            case Pop3Command.User u -> {
                user = u.name();
                yield ok("+OK send PASS");
            }
            case Pop3Command.Pass p -> {
                if (user == null) {
                    yield error("-ERR send USER first");
                }
                Credentials credentials = new Credentials(user, p.password());
                user = null;
                yield login(credentials);
            }
            case Pop3Command.Auth a -> auth(a);
            case Pop3Command.SaslResponse r -> {
                saslPending = false;
                yield r.line().equals("*") ? error("-ERR [AUTH] authentication cancelled") : plain(r.line());
            }
            case Pop3Command.Capa c -> ok(capabilities());
            case Pop3Command.Stls s -> {
                if (!tlsOffered || tlsActive) {
                    yield error(tlsActive ? "-ERR TLS is already active" : "-ERR STLS not available");
                }
                tlsActive = true;
                user = null;
                yield new ProxyStep.StartTls("+OK Begin TLS negotiation");
            }
            case Pop3Command.Quit q -> new ProxyStep.Reply("+OK bye", true);
            case Pop3Command.Invalid invalid -> error("-ERR " + invalid.reason());
            default -> error("-ERR unknown command or not allowed before login");
        };
    }

    /** Counts as a refused command. */
    @Override
    public ProxyStep loginFailed(String reply) {
        return error(reply);
    }

    @Override
    public String unavailable() {
        return "-ERR [SYS/TEMP] upstream unavailable";
    }

    @Override
    public String bye(String reason) {
        return "-ERR [SYS/TEMP] " + reason;
    }

    private ProxyStep auth(Pop3Command.Auth a) {
        if (a.mechanism().isEmpty()) {
            return ok("+OK\r\nPLAIN\r\n.");
        }
        if (!a.mechanism().get().equals("PLAIN")) {
            return error("-ERR [AUTH] unsupported mechanism");
        }
        if (a.initialResponse().isEmpty()) {
            saslPending = true;
            return ok("+ ");
        }
        return plain(a.initialResponse().get());
    }

    private ProxyStep plain(String response) {
        return Credentials.fromPlain(response).map(this::login)
                .orElseGet(() -> error("-ERR [AUTH] malformed PLAIN response"));
    }

    private ProxyStep login(Credentials credentials) {
        return switch (router.route(credentials.user())) {
            case Routing.Routed routed -> new ProxyStep.Login(routed, credentials.password());
            case Routing.Refused refused -> error("-ERR [AUTH] " + refused.reason());
        };
    }

    private String capabilities() {
        return "+OK Capability list follows\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
                + (tlsOffered && !tlsActive ? "STLS\r\n" : "") + "IMPLEMENTATION berth-proxy\r\n.";
    }

    private static ProxyStep ok(String text) {
        return new ProxyStep.Reply(text, false);
    }

    private ProxyStep error(String text) {
        errors++;
        return new ProxyStep.Reply(errors >= MAX_ERRORS ? text + "\r\n-ERR too many errors, bye" : text, errors >= MAX_ERRORS);
    }
}
