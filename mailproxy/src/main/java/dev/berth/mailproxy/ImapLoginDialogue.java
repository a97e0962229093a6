package dev.berth.mailproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Logs in at an IMAP upstream:
 *
 * <pre>
 *  GREETING --* OK--> [S STARTTLS --S OK--> (handshake)] --> [I ID (x-originating-ip ...)] --> L LOGIN --L OK--> done
 *       * BYE, * PREAUTH, a NO/BAD to STARTTLS, anything unexpected ----------------------> failed
 * </pre>
 *
 * A refused LOGIN yields the upstream's own tagged text ({@code NO [AUTHENTICATIONFAILED] ...});
 * anything else {@code NO [UNAVAILABLE] ...}. Untagged lines that come with the login response
 * (such as {@code * CAPABILITY}) are kept for the client; those before are dropped.
 */
final class ImapLoginDialogue implements LoginDialogue {

    private enum State { GREETING, STARTTLS, ID, LOGIN, DONE }

    private final UpstreamLogin login;
    private final List<String> untagged = new ArrayList<>();
    private State state = State.GREETING;

    /**
     * @throws IllegalArgumentException when the user or password cannot be quoted ({@link #quotable})
     */
    ImapLoginDialogue(UpstreamLogin login) {
        this.login = Objects.requireNonNull(login, "login");
        if (!quotable(login.user()) || !quotable(login.password())) {
            throw new IllegalArgumentException("user or password holds CR, LF or NUL");
        }
    }

    /** Whether a string can be sent as an IMAP quoted string: no CR, LF or NUL. */
    static boolean quotable(String s) {
        return s.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
    }

    /** The string as an IMAP quoted string, with {@code \} and {@code "} escaped. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public LoginStep start() {
        return new LoginStep.Wait();
    }

    @Override
    public LoginStep onLine(String line) {
        if (line.startsWith("* ")) {
            return onUntagged(line);
        }
        String upper = line.toUpperCase(Locale.ROOT);
        return switch (state) {
            case GREETING -> unavailable("greeting was " + LoginDialogue.brief(line));
            case STARTTLS -> upper.startsWith("S OK") ? new LoginStep.StartTls()
                    : upper.startsWith("S ") ? unavailable("STARTTLS refused: " + LoginDialogue.brief(line))
                    : new LoginStep.Wait();
            case ID -> upper.startsWith("I ") ? login() : new LoginStep.Wait();
            case LOGIN -> {
                if (upper.startsWith("L OK")) {
                    state = State.DONE;
                    yield new LoginStep.Succeeded(line.substring(2), untagged);
                }
                if (upper.startsWith("L NO") || upper.startsWith("L BAD")) {
                    state = State.DONE;
                    yield new LoginStep.Failed("NO" + line.substring(upper.startsWith("L NO") ? 4 : 5));
                }
                yield new LoginStep.Wait();
            }
            case DONE -> throw new IllegalStateException("login already finished");
        };
    }

    private LoginStep onUntagged(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("* BYE")) {
            return unavailable("upstream said " + LoginDialogue.brief(line));
        }
        if (state == State.GREETING) {
            if (!upper.startsWith("* OK")) {
                return unavailable("greeting was " + LoginDialogue.brief(line));
            }
            if (login.tls() == UpstreamTls.STARTTLS) {
                state = State.STARTTLS;
                return new LoginStep.Send("S STARTTLS", false);
            }
            return afterTls();
        }
        if (state == State.LOGIN) {
            untagged.add(line);
        }
        return new LoginStep.Wait();
    }

    @Override
    public LoginStep onTlsReady() {
        if (state != State.STARTTLS) {
            throw new IllegalStateException("no STARTTLS pending");
        }
        return afterTls();
    }

    @Override
    public LoginStep.Failed unavailable(String why) {
        state = State.DONE;
        return new LoginStep.Failed("NO [UNAVAILABLE] upstream unavailable: " + why);
    }

    private LoginStep afterTls() {
        if (login.xclient()) {
            state = State.ID;
            return new LoginStep.Send("I ID (\"x-originating-ip\" " + quote(login.client().ip())
                    + " \"x-originating-port\" \"" + login.client().port() + "\")", false);
        }
        return login();
    }

    private LoginStep login() {
        state = State.LOGIN;
        return new LoginStep.Send("L LOGIN " + quote(login.user()) + " " + quote(login.password()), true);
    }
}
