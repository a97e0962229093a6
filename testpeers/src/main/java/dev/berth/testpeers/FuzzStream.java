package dev.berth.testpeers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the fuzz targets turn one fuzzer input into what a peer would send: the same bytes, cut into
 * the reads a connection would see. The cut is taken from the input itself (its first and last
 * octets), so a corpus file is plain protocol text that any tool can read, and the fuzzer still
 * moves every split point by changing one octet.
 *
 * <p>Pure and thread-safe.
 */
public final class FuzzStream {

    /** Chunks are 1 to this many octets; a cut value past it sends the input as one read. */
    public static final int LARGEST_CUT = 96;

    private FuzzStream() {
    }

    /**
     * The input cut into reads: each {@link #cut} octets long (the last one shorter), or the
     * whole input as one read.
     *
     * @return the reads, in order; empty for an empty input
     */
    public static List<byte[]> reads(byte[] input) {
        List<byte[]> reads = new ArrayList<>();
        int size = cut(input);
        for (int at = 0; at < input.length; at += size) {
            reads.add(Arrays.copyOfRange(input, at, Math.min(input.length, at + size)));
        }
        return reads;
    }

    /** Hands the input's {@link #reads} to {@code read}, one at a time, while {@code open} holds. */
    public static void feed(byte[] input, java.util.function.BooleanSupplier open, java.util.function.Consumer<byte[]> read) {
        for (byte[] chunk : reads(input)) {
            if (!open.getAsBoolean()) {
                return;
            }
            read.accept(chunk);
        }
    }

    /** The read size the input asks for: 1 to {@link #LARGEST_CUT}, or its whole length. */
    public static int cut(byte[] input) {
        if (input.length == 0) {
            return 1;
        }
        int value = (input[0] ^ input[input.length - 1]) & 0x7f;
        return value >= LARGEST_CUT ? input.length : value + 1;
    }
}
