package dev.berth.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scanners of one service, run in order over a message. Thread-safe: many threads may scan
 * at once (each scanner is). Blocking: {@link #scan} runs every scanner on the calling thread,
 * so call it from a blocking executor or a virtual thread, never an event loop.
 *
 * <p>Owns its scanners: {@link #close()} closes them. Built by {@link ScanSettings#newChain()}.
 */
public final class ScanChain implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ScanChain.class.getName());

    private final List<ScannerSettings> settings;
    private final List<Scanner> scanners;
    private final java.util.function.BiConsumer<String, String> verdicts;

    ScanChain(List<ScannerSettings> settings, java.util.function.BiConsumer<String, String> verdicts) {
        this.verdicts = verdicts;
        this.settings = List.copyOf(settings);
        this.scanners = this.settings.stream().map(ScannerSettings::newScanner).toList();
    }

    /** Whether the chain has no scanner, so that {@link #scan} always passes. */
    public boolean isEmpty() {
        return scanners.isEmpty();
    }

    /**
     * Runs the scanners in order and stops at the first {@link Verdict.Infected}. Never throws
     * for a scanner's failure: a scanner that throws anyway counts as unavailable.
     *
     * @param message the whole message; opened once per scanner
     * @param envelope what is known of the envelope, or {@link Envelope#NONE}
     */
    public ScanReport scan(MessageContent message, Envelope envelope) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(envelope, "envelope");
        List<Verdict> verdicts = new ArrayList<>(scanners.size());
        List<Verdict.Unavailable> accepted = new ArrayList<>();
        for (int i = 0; i < scanners.size(); i++) {
            Verdict verdict = scanOne(scanners.get(i), message, envelope);
            verdicts.add(verdict);
            this.verdicts.accept(scanners.get(i).name(), label(verdict));
            if (verdict instanceof Verdict.Unavailable unavailable) {
                boolean accepts = settings.get(i).accepts(unavailable);
                LOG.log(System.Logger.Level.WARNING, "scanner {0} unavailable ({1}): {2}",
                        unavailable.scanner(), accepts ? "accepting" : "tempfail", unavailable.reason());
                if (accepts) {
                    accepted.add(unavailable);
                }
            }
            if (verdict instanceof Verdict.Infected) {
                break;
            }
        }
        return new ScanReport(verdicts, accepted);
    }

    /**
     * The verdict's label in metrics: {@code clean}, {@code infected}, {@code ham} (scored, no
     * action), {@code spam} (scored past a threshold) or {@code unavailable}.
     */
    public static String label(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Clean c -> "clean";
            case Verdict.Infected i -> "infected";
            case Verdict.Spam s -> s.action() == SpamAction.NONE ? "ham" : "spam";
            case Verdict.Unavailable u -> "unavailable";
        };
    }

    /** Closes every scanner; idempotent. */
    @Override
    public void close() {
        scanners.forEach(Scanner::close);
    }

    private static Verdict scanOne(Scanner scanner, MessageContent message, Envelope envelope) {
        try {
            return Objects.requireNonNull(scanner.scan(message, envelope), "verdict");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "scanner " + scanner.name() + " failed", e);
            return new Verdict.Unavailable(scanner.name(), "scanner failed: " + e);
        }
    }
}
