package dev.berth.scoreboard;

import java.util.List;

/**
 * The labelled counters a child may keep in its scoreboard slot ({@link Counters}), each with the
 * Prometheus family the master exports it as. The master adds the {@code pool} label (it knows
 * each slot's pool), so children name only the labels listed here, in this order.
 *
 * <p>A family is exported only once some child has counted into it: a kind that never runs
 * exports nothing. To add one: a new constant with an unused code (codes are the wire format:
 * never reuse or renumber one), its labels, and a line in docs/metrics.md.
 */
public enum CounterFamily {

    /** Connections a worker took, per service ({@code berth_connections_accepted_total{pool,service}}). */
    CONNECTIONS_ACCEPTED(1, "berth_connections_accepted_total", "Connections taken by workers, per service.",
            List.of("service")),
    /** Requests finished, per service; what a request is belongs to the kind. */
    REQUESTS(2, "berth_requests_total", "Requests finished (HTTP responses, SMTP transactions, echo"
            + " connections, proxied sessions), per service.", List.of("service")),
    /** SMTP replies sent, by reply code ({@code "250"}). */
    SMTP_REPLIES(3, "berth_smtp_replies_total", "SMTP replies sent, by reply code.", List.of("service", "code")),
    /** Verdicts of each scanner: clean, infected, spam, unavailable. */
    SCAN_VERDICTS(4, "berth_scan_verdicts_total", "Content scan verdicts, per scanner.",
            List.of("service", "scanner", "verdict")),
    /** Tenant classification of connections (tenancy, DESIGN.md section 7): how the group was found. */
    TENANT_CLASSIFIED(5, "berth_tenant_classified_total", "Connections classified to a tenant group, and how.",
            List.of("service", "group", "how")),
    /** Mesh calls by outcome (DESIGN.md section 8). */
    MESH_CALLS(6, "berth_mesh_calls_total", "Mesh calls, by answering node and outcome.",
            List.of("group", "node", "outcome")),
    /** Mesh call latency (DESIGN.md section 8), observed in nanoseconds, exported in seconds. */
    MESH_CALL_SECONDS(7, "berth_mesh_call_seconds", "Mesh call latency.", List.of("group"),
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0);

    private final int code;
    private final String metric;
    private final String help;
    private final List<String> labels;
    private final double[] buckets;

    CounterFamily(int code, String metric, String help, List<String> labels, double... buckets) {
        this.code = code;
        this.metric = metric;
        this.help = help;
        this.labels = labels;
        this.buckets = buckets;
    }

    /** Its code in the scoreboard record. */
    public int code() {
        return code;
    }

    /** The Prometheus family name (with {@code _total} for counters). */
    public String metric() {
        return metric;
    }

    /** The family's help text. */
    public String help() {
        return help;
    }

    /** The label names a child gives, in order (the master adds {@code pool}). */
    public List<String> labels() {
        return labels;
    }

    /** Whether it is a histogram (else a counter). */
    public boolean histogram() {
        return buckets.length > 0;
    }

    /** A histogram's bucket upper bounds in seconds, ascending, without +Inf; empty for a counter. */
    public double[] buckets() {
        return buckets.clone();
    }

    /** How many u64 values a record of this family holds. */
    int valueCount() {
        return histogram() ? buckets.length + 2 : 1;
    }

    /** The family with {@code code}, if this code knows it (a newer child may know more). */
    public static java.util.Optional<CounterFamily> of(int code) {
        for (CounterFamily f : values()) {
            if (f.code == code) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
