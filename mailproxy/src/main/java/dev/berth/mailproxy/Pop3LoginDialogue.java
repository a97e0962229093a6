package dev.berth.mailproxy;

import java.util.List;
import java.util.Objects;

/**
 * Logs in at a POP3 upstream:
 *
 * <pre>
 *  GREETING --+OK--> [STLS --+OK--> (handshake)] --> [XCLIENT if offered] --> USER --+OK--> PASS --+OK--> done
 *       any -ERR or unexpected line ----------------------------------------------> failed
 * </pre>
 *
 * A refused USER or PASS yields the upstream's own {@code -ERR} line (so {@code -ERR [AUTH] ...}
 * reaches the client unchanged); anything else yields {@code -ERR [SYS/TEMP] ...}.
 */
final class Pop3LoginDialogue implements LoginDialogue {

    private enum State { GREETING, STLS, XCLIENT, USER, PASS, DONE }

    private final UpstreamLogin login;
    private State state = State.GREETING;
    private boolean xclientOffered;

    Pop3LoginDialogue(UpstreamLogin login) {
        this.login = Objects.requireNonNull(login, "login");
    }

    @Override
    public LoginStep start() {
        return new LoginStep.Wait();
    }

    @Override
    public LoginStep onLine(String line) {
        boolean ok = line.startsWith("+OK");
        return switch (state) {
            case GREETING -> {
                if (!ok) {
                    yield unavailable("greeting was " + LoginDialogue.brief(line));
                }
                xclientOffered = line.contains("[XCLIENT]");
                if (login.tls() == UpstreamTls.STARTTLS) {
                    state = State.STLS;
                    yield new LoginStep.Send("STLS", false);
                }
                yield afterTls();
            }
            case STLS -> ok ? new LoginStep.StartTls() : unavailable("STLS refused: " + LoginDialogue.brief(line));
            case XCLIENT -> sendUser();
            case USER -> {
                if (!ok) {
                    yield failed(line);
                }
                state = State.PASS;
                yield new LoginStep.Send("PASS " + login.password(), true);
            }
            case PASS -> {
                if (!ok) {
                    yield failed(line);
                }
                state = State.DONE;
                yield new LoginStep.Succeeded(line, List.of());
            }
            case DONE -> throw new IllegalStateException("login already finished");
        };
    }

    @Override
    public LoginStep onTlsReady() {
        if (state != State.STLS) {
            throw new IllegalStateException("no STLS pending");
        }
        return afterTls();
    }

    @Override
    public LoginStep.Failed unavailable(String why) {
        state = State.DONE;
        return new LoginStep.Failed("-ERR [SYS/TEMP] upstream unavailable: " + why);
    }

    private LoginStep afterTls() {
        if (login.xclient() && xclientOffered) {
            state = State.XCLIENT;
            return new LoginStep.Send("XCLIENT ADDR=" + login.client().ip() + " PORT=" + login.client().port(), false);
        }
        return sendUser();
    }

    private LoginStep sendUser() {
        state = State.USER;
        return new LoginStep.Send("USER " + login.user(), false);
    }

    private LoginStep.Failed failed(String line) {
        state = State.DONE;
        if (!line.startsWith("-ERR")) {
            return unavailable("unexpected reply " + LoginDialogue.brief(line));
        }
        return new LoginStep.Failed(line.contains("[") ? line : "-ERR [AUTH]" + line.substring(4));
    }
}
