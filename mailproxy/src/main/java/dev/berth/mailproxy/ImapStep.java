package dev.berth.mailproxy;

import java.util.Objects;

/** What the IMAP frontend does after {@link ImapProxySession#handle}. */
sealed interface ImapStep {

    /**
     * Write a reply; lines joined by CRLF, the last CRLF added by the writer.
     *
     * @param close whether to close the connection after it is written
     */
    record Reply(String text, boolean close) implements ImapStep {
        /** Checks the argument. */
        public Reply {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Write the tagged OK in plain text, then start TLS as the server; buffered plaintext is dropped. */
    record StartTls(String reply) implements ImapStep {
        /** Checks the argument. */
        public StartTls {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Log in upstream and answer the client's command with the upstream's tagged reply.
     *
     * @param tag the client's tag
     * @param routed where and as whom
     * @param password the client's password
     */
    record Login(String tag, Routing.Routed routed, String password) implements ImapStep {
        /** Checks the arguments. */
        public Login {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(routed, "routed");
            Objects.requireNonNull(password, "password");
        }
    }
}
