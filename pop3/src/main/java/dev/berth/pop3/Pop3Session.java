package dev.berth.pop3;

import dev.berth.maildir.Authentication;
import dev.berth.maildir.MailUser;
import dev.berth.mailwire.Pop3Command;
import dev.berth.mailwire.Pop3Command.Auth;
import dev.berth.pop3.Pop3Reply.Err;
import dev.berth.pop3.Pop3Reply.Ok;
import dev.berth.pop3.Pop3Reply.ResponseCode;
import dev.berth.service.SaslPlain;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The POP3 state machine of one connection (RFC 1939, CAPA and response codes of RFC 2449, STLS
 * of RFC 2595, AUTH PLAIN of RFC 5034), without a channel: commands in, {@link Outcome}s out.
 *
 * <pre>
 *  AUTHORIZATION ──USER/PASS or AUTH PLAIN ok, maildrop locked──▶ TRANSACTION ──QUIT──▶ UPDATE
 *    │  STLS: +OK, then TLS; USER/PASS and PLAIN need TLS unless allow-plaintext-auth
 *    │  failed login: -ERR [AUTH] after the delay; locked: -ERR [IN-USE]
 *    │  maildrop path taken by a file: -ERR [SYS/PERM]; other I/O failures: -ERR [SYS/TEMP]
 *    └─QUIT──▶ closed              connection lost, {@link #close}: closed, nothing deleted
 * </pre>
 *
 * <p>Threads: one command at a time, on any thread that may block ({@link #handle} authenticates,
 * locks and deletes through {@link Maildrops}); never on an event loop. Owns the open
 * {@link Maildrop} and releases it at QUIT or {@link #close}.
 */
final class Pop3Session {

    static final System.Logger LOG = System.getLogger(Pop3Session.class.getName());

    private static final String PLAINTEXT_DISALLOWED =
            "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

    /** The states of RFC 1939 §3. */
    enum State { AUTHORIZATION, TRANSACTION, UPDATE }

    private final Maildrops maildrops;
    private final SessionPolicy policy;
    // Volatile: the event loop reads it between commands (draining).
    private volatile State state = State.AUTHORIZATION;
    private boolean secured;
    private Optional<String> user = Optional.empty();
    private Transaction transaction;
    private int authFailures;
    private int badCommands;

    Pop3Session(Maildrops maildrops, SessionPolicy policy) {
        this.maildrops = Objects.requireNonNull(maildrops, "maildrops");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The greeting; RFC 2449 servers without APOP send no timestamp. */
    Pop3Reply greeting() {
        return new Ok("berth POP3 ready.");
    }

    /** Handles one command; may block (see the class comment). */
    Outcome handle(Pop3Command command) {
        if (command instanceof Pop3Command.Invalid invalid) {
            return bad(invalid.reason());
        }
        return switch (state) {
            case AUTHORIZATION -> authorization(command);
            case TRANSACTION -> transaction(command);
            case UPDATE -> Outcome.close(Err.of("Session is over."));
        };
    }

    /** The connection is gone: release the maildrop without the UPDATE state. Idempotent. */
    void close() {
        if (transaction != null && state == State.TRANSACTION) {
            transaction.abandon();
        }
        transaction = null;
        state = State.UPDATE;
    }

    State state() {
        return state;
    }

    /** Whether the connection is TLS-protected (after STLS). */
    boolean isSecured() {
        return secured;
    }

    private Outcome authorization(Pop3Command command) {
        return switch (command) {
            case Pop3Command.Capa c -> Outcome.reply(new Pop3Reply.Lines("Capability list follows", capabilities()));
            case Pop3Command.Stls s -> stls();
            case Pop3Command.User u -> {
                if (!plaintextAuthAllowed()) {
                    yield Outcome.reply(new Err(ResponseCode.AUTH, PLAINTEXT_DISALLOWED));
                }
                user = Optional.of(u.name());
                yield Outcome.reply(new Ok(""));
            }
            case Pop3Command.Pass p -> {
                if (user.isEmpty()) {
                    yield bad("No username given.");
                }
                String login = user.get();
                user = Optional.empty();
                yield login(login, p.password());
            }
            case Auth a -> auth(a);
            case Pop3Command.SaslResponse r -> saslResponse(r.line());
            case Pop3Command.Quit q -> {
                state = State.UPDATE;
                yield Outcome.close(new Ok("Logging out."));
            }
            default -> bad("Unknown command in the AUTHORIZATION state.");
        };
    }

    private Outcome transaction(Pop3Command command) {
        Pop3Reply reply = switch (command) {
            case Pop3Command.Capa c -> new Pop3Reply.Lines("Capability list follows", capabilities());
            case Pop3Command.Stat s -> transaction.stat();
            case Pop3Command.ListMessages l -> transaction.list(l.message());
            case Pop3Command.Uidl u -> transaction.uidl(u.message());
            case Pop3Command.Retr r -> transaction.content(r.message(), Long.MAX_VALUE);
            case Pop3Command.Top t -> transaction.content(t.message(), t.lines());
            case Pop3Command.Dele d -> transaction.dele(d.message());
            case Pop3Command.Rset r -> transaction.rset();
            case Pop3Command.Noop n -> new Ok("");
            case Pop3Command.Quit q -> {
                state = State.UPDATE;
                Pop3Reply bye = transaction.commit();
                transaction = null;
                yield bye;
            }
            default -> null;
        };
        if (reply == null) {
            return bad("Unknown command in the TRANSACTION state.");
        }
        return state == State.UPDATE ? Outcome.close(reply) : Outcome.reply(reply);
    }

    private Outcome stls() {
        if (!policy.tlsAvailable()) {
            return bad("STLS is not available.");
        }
        if (secured) {
            return bad("TLS is already active.");
        }
        secured = true;
        user = Optional.empty();
        return new Outcome(new Ok("Begin TLS negotiation now."), Outcome.Next.START_TLS, Duration.ZERO);
    }

    private Outcome auth(Auth auth) {
        user = Optional.empty();
        if (auth.mechanism().isEmpty()) {
            return Outcome.reply(new Pop3Reply.Lines("", plaintextAuthAllowed() ? List.of("PLAIN") : List.of()));
        }
        if (!auth.mechanism().get().equals("PLAIN")) {
            return bad("Unsupported authentication mechanism.");
        }
        if (!plaintextAuthAllowed()) {
            return Outcome.reply(new Err(ResponseCode.AUTH, PLAINTEXT_DISALLOWED));
        }
        if (auth.initialResponse().isPresent()) {
            return plain(auth.initialResponse().get());
        }
        return new Outcome(new Pop3Reply.Challenge(""), Outcome.Next.SASL_RESPONSE, Duration.ZERO);
    }

    private Outcome saslResponse(String line) {
        if (line.equals("*")) {
            return Outcome.reply(Err.of("Authentication cancelled."));
        }
        return plain(line);
    }

    private Outcome plain(String response) {
        Optional<SaslPlain> plain = SaslPlain.decode(response);
        if (plain.isEmpty()) {
            return failed();
        }
        return login(plain.get().login(), plain.get().password());
    }

    private Outcome login(String login, String password) {
        MailUser found;
        switch (maildrops.authenticate(login, password)) {
            case Authentication.Accepted accepted -> found = accepted.user();
            case Authentication.Refused refused -> {
                return failed();
            }
            case Authentication.Busy busy -> {
                LOG.log(System.Logger.Level.WARNING, "a login was not checked: the password checks running hold the memory it needs");
                return Outcome.reply(new Err(ResponseCode.SYS_TEMP, "Too many logins at once, try again later."));
            }
        }
        try {
            transaction = new Transaction(maildrops.open(found));
            state = State.TRANSACTION;
            return Outcome.reply(new Ok("Logged in."));
        } catch (MaildropInUseException e) {
            return Outcome.reply(new Err(ResponseCode.IN_USE, "Mailbox is locked by another POP3 session."));
        } catch (LoginTooSoonException e) {
            return Outcome.reply(new Err(ResponseCode.LOGIN_DELAY,
                    "Minimum time between logins is " + policy.loginDelay().toSeconds() + " seconds."));
        } catch (FileAlreadyExistsException | NotDirectoryException | AccessDeniedException e) {
            // The mailbox path is taken by something else: retrying will not help.
            LOG.log(System.Logger.Level.ERROR, "the maildrop of " + found.address() + " is unusable", e);
            return Outcome.reply(new Err(ResponseCode.SYS_PERM, "The mailbox cannot be opened, ask the postmaster."));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot open the maildrop of " + found.address(), e);
            return Outcome.reply(new Err(ResponseCode.SYS_TEMP, "Cannot open the mailbox, try again later."));
        }
    }

    private Outcome failed() {
        authFailures++;
        Outcome.Next next = authFailures >= policy.maxAuthFailures() ? Outcome.Next.CLOSE : Outcome.Next.COMMAND;
        return new Outcome(new Err(ResponseCode.AUTH, "Authentication failed."), next, policy.authFailureDelay());
    }

    private Outcome bad(String reason) {
        badCommands++;
        if (badCommands >= policy.maxBadCommands()) {
            return Outcome.close(Err.of("Too many bad commands."));
        }
        return Outcome.reply(Err.of(reason));
    }

    /** RFC 2449 §6; USER, SASL and STLS only where they may be used now. */
    private List<String> capabilities() {
        List<String> capabilities =
                new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"));
        if (state == State.AUTHORIZATION) {
            if (plaintextAuthAllowed()) {
                capabilities.add("USER");
                capabilities.add("SASL PLAIN");
            }
            if (policy.tlsAvailable() && !secured) {
                capabilities.add("STLS");
            }
        }
        if (policy.loginDelay().isPositive()) {
            capabilities.add("LOGIN-DELAY " + Math.max(1, policy.loginDelay().toSeconds()));
        }
        capabilities.add("IMPLEMENTATION berth");
        return capabilities;
    }

    private boolean plaintextAuthAllowed() {
        return secured || policy.allowPlaintextAuth();
    }
}
