package dev.berth.smtp;

import dev.berth.scan.Envelope;
import dev.berth.scan.Outcome;
import dev.berth.scan.ScanChain;
import dev.berth.scan.ScanReport;
import dev.berth.scan.VirusAction;
import java.util.List;

/**
 * Runs a service's scanner chain over a finished message and says what to do with it. Blocking
 * (scanners do I/O): called on the connection's executor. Thread-safe.
 */
final class ScanStep {

    /** What to do with a scanned message. */
    sealed interface Decision {
        /** Deliver, with these header lines (CRLF-terminated) before the message. */
        record Deliver(List<String> headers) implements Decision {
        }

        /** Accept, but store only in quarantine, with these header lines. */
        record Quarantine(List<String> headers) implements Decision {
        }

        /** Refuse with this reply. */
        record Refuse(SmtpReply reply) implements Decision {
        }
    }

    private final ScanChain chain;
    private final VirusAction onVirus;

    ScanStep(ScanChain chain, VirusAction onVirus) {
        this.chain = chain;
        this.onVirus = onVirus;
    }

    /** Scans the message (already dot-unstuffed). */
    Decision check(MessageBuffer message, Transaction tx) {
        if (chain.isEmpty()) {
            return new Decision.Deliver(List.of());
        }
        Envelope envelope = new Envelope(tx.client().address(), tx.client().helo() == null ? "" : tx.client().helo(),
                tx.sender().path(), tx.recipients());
        ScanReport report = chain.scan(message.content(), envelope);
        return switch (report.outcome()) {
            case Outcome.Pass p -> new Decision.Deliver(report.tagHeaders());
            case Outcome.SpamTag t -> new Decision.Deliver(report.tagHeaders());
            case Outcome.SpamReject r -> new Decision.Refuse(SmtpReply.of(554, "5.7.1", "Message rejected as spam"));
            case Outcome.TempFail t -> new Decision.Refuse(SmtpReply.of(451, "4.7.1", "Content scanner unavailable, try again later"));
            case Outcome.Virus v -> switch (onVirus) {
                case REJECT -> new Decision.Refuse(SmtpReply.of(554, "5.7.1", "Message rejected: virus found: " + printable(v.verdict().threat())));
                case QUARANTINE -> new Decision.Quarantine(report.tagHeaders());
                case TAG -> new Decision.Deliver(report.tagHeaders());
            };
        };
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }
}
