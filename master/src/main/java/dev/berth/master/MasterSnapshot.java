package dev.berth.master;

import dev.berth.scoreboard.CounterFamily;
import java.util.List;
import java.util.Map;

/**
 * What the admin plane reads from the master in one go, made on the supervisor thread so that the
 * status and the counters agree.
 *
 * @param status what {@code berth status --json} prints
 * @param counters the children's labelled counters summed per pool, reaped children included
 * @param countersOverflowed per pool, increments children lost because their counters area was full
 */
public record MasterSnapshot(Status status, List<CounterTotal> counters, Map<String, Long> countersOverflowed) {

    /**
     * One labelled counter of one pool.
     *
     * @param pool the pool
     * @param family the family
     * @param labels the label values in the family's order (without the pool)
     * @param values as in {@link dev.berth.scoreboard.Counters.Sample#values}
     */
    public record CounterTotal(String pool, CounterFamily family, List<String> labels, long[] values) {
    }
}
