package dev.berth.mailproxy;

import dev.berth.scan.MessageContent;
import java.util.Objects;

/**
 * Scans one un-stuffed message. Blocking (may call clamd or rspamd): called on the scan executor,
 * never on an event loop. Thread-safe.
 */
@FunctionalInterface
interface MessageScanner {

    /** The verdict on {@code message} (RFC 5322, un-stuffed, CRLF line ends). Never throws. */
    Verdict scan(MessageContent message);

    /** A scan's outcome for the proxy: keep, replace, or refuse for now. */
    sealed interface Verdict {

        /** Deliver the message as is (clean, or spam: the proxy only removes threats). */
        record Clean() implements Verdict {
        }

        /**
         * Replace the message by a notice.
         *
         * @param scanner the scanner's name
         * @param threat the threat's name
         */
        record Infected(String scanner, String threat) implements Verdict {
            /** Checks the arguments. */
            public Infected {
                Objects.requireNonNull(scanner, "scanner");
                Objects.requireNonNull(threat, "threat");
            }
        }

        /**
         * The message could not be judged; RETR answers {@code -ERR [SYS/TEMP]}.
         *
         * @param reason a short reason for the log
         */
        record Unavailable(String reason) implements Verdict {
            /** Checks the argument. */
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
