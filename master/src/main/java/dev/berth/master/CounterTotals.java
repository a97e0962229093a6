package dev.berth.master;

import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled counters of every pool, summed over its children: those alive (read from their
 * scoreboard slots) plus those reaped, whose final values were folded in here before their slot
 * was reused. So a total never goes back when a worker crashes or is recycled. Owned by the
 * supervisor thread.
 */
final class CounterTotals {

    private record Key(String pool, CounterFamily family, List<String> labels) {
    }

    private final Map<Key, long[]> retired = new LinkedHashMap<>();
    private final Map<String, Long> retiredOverflow = new LinkedHashMap<>();

    /** Folds the final counts of {@code child}, whose process has exited, into its pool's totals. */
    void retire(WorkerProcess child) {
        add(retired, child);
        retiredOverflow.merge(child.pool(), (long) child.slot().countersOverflowed(), Long::sum);
    }

    /** Every pool's totals now: reaped children plus the live ones in {@code pools}. */
    List<MasterSnapshot.CounterTotal> totals(Collection<PoolState> pools) {
        Map<Key, long[]> sums = new LinkedHashMap<>();
        retired.forEach((k, v) -> sums.put(k, v.clone()));
        for (PoolState pool : pools) {
            pool.processes().forEach(child -> add(sums, child));
        }
        List<MasterSnapshot.CounterTotal> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new MasterSnapshot.CounterTotal(k.pool(), k.family(), k.labels(), v)));
        return out;
    }

    /** Increments lost for lack of scoreboard room, per pool, reaped and live children together. */
    Map<String, Long> overflowed(Collection<PoolState> pools) {
        Map<String, Long> out = new LinkedHashMap<>(retiredOverflow);
        for (PoolState pool : pools) {
            pool.processes().forEach(c -> out.merge(c.pool(), (long) c.slot().countersOverflowed(), Long::sum));
        }
        return out;
    }

    private static void add(Map<Key, long[]> into, WorkerProcess child) {
        for (Counters.Sample sample : child.slot().counterSamples()) {
            long[] sum = into.computeIfAbsent(new Key(child.pool(), sample.family(), sample.labels()),
                    k -> new long[sample.values().length]);
            for (int i = 0; i < sum.length && i < sample.values().length; i++) {
                sum[i] += sample.values()[i];
            }
        }
    }
}
