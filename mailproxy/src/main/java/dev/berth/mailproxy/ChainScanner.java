package dev.berth.mailproxy;

import dev.berth.scan.Envelope;
import dev.berth.scan.MessageContent;
import dev.berth.scan.Outcome;
import dev.berth.scan.ScanChain;
import java.util.Objects;

/**
 * A {@link MessageScanner} over a service's {@link ScanChain}: a virus means replace, a scanner
 * that is unavailable (and not accepted by its policy) means try later, spam means deliver (the
 * proxy removes threats, it does not filter spam). Blocking; thread-safe. Does not own the chain.
 */
final class ChainScanner implements MessageScanner {

    private final ScanChain chain;

    ChainScanner(ScanChain chain) {
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    @Override
    public Verdict scan(MessageContent message) {
        Outcome outcome = chain.scan(message, Envelope.NONE).outcome();
        return switch (outcome) {
            case Outcome.Virus virus -> new Verdict.Infected(virus.verdict().scanner(), virus.verdict().threat());
            case Outcome.TempFail fail -> new Verdict.Unavailable(fail.verdict().scanner() + ": " + fail.verdict().reason());
            case Outcome.Pass p -> new Verdict.Clean();
            case Outcome.SpamReject s -> new Verdict.Clean();
            case Outcome.SpamTag s -> new Verdict.Clean();
        };
    }
}
