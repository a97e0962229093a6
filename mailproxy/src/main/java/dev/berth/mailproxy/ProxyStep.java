package dev.berth.mailproxy;

import java.util.Objects;

/** What the POP3 frontend does after {@link Pop3ProxySession#handle}. */
sealed interface Pop3Step {

    /**
     * Write a reply; lines joined by CRLF, the last CRLF added by the writer.
     *
     * @param close whether to close the connection after it is written
     */
    record Reply(String text, boolean close) implements Pop3Step {
        /** Checks the argument. */
        public Reply {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Write the reply in plain text, then start TLS as the server; buffered plaintext is dropped. */
    record StartTls(String reply) implements Pop3Step {
        /** Checks the argument. */
        public StartTls {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Log in upstream, then relay; the session waits for {@link Pop3ProxySession#loginFailed} if
     * that fails.
     *
     * @param routed where and as whom
     * @param password the client's password
     */
    record Login(Routing.Routed routed, String password) implements Pop3Step {
        /** Checks the arguments. */
        public Login {
            Objects.requireNonNull(routed, "routed");
            Objects.requireNonNull(password, "password");
        }
    }
}
