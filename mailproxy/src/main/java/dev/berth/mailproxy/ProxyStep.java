package dev.berth.mailproxy;

import java.util.Objects;

/** What the {@link ProxyFrontend} does after a {@link ProxySession} read a command. */
sealed interface ProxyStep {

    /**
     * Write a reply; lines joined by CRLF, the last CRLF added by the writer.
     *
     * @param close whether to close the connection after it is written (nothing more is read)
     */
    record Reply(String text, boolean close) implements ProxyStep {
        /** Checks the argument. */
        public Reply {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Write the reply in plain text, then start TLS as the server; buffered plaintext is dropped. */
    record StartTls(String reply) implements ProxyStep {
        /** Checks the argument. */
        public StartTls {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Log in upstream, then relay; the session remembers what it needs (the IMAP tag) to answer
     * with {@link ProxySession#loggedIn} or {@link ProxySession#loginFailed}.
     *
     * @param routed where and as whom
     * @param password the client's password
     */
    record Login(Routing.Routed routed, String password) implements ProxyStep {
        /** Checks the arguments. */
        public Login {
            Objects.requireNonNull(routed, "routed");
            Objects.requireNonNull(password, "password");
        }
    }
}
