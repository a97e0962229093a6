package dev.berth.tenancy;

import java.util.Objects;

/** What the classification decided for one connection: a group's instance, or a refusal. */
public sealed interface Verdict {

    /** The group it went to; for a refusal the group it would have gone to, or empty when none. */
    String group();

    /**
     * The {@code how} label of {@code berth_tenant_classified_total}: {@code address},
     * {@code loopback}, {@code default}, or {@code refused-} and the cause
     * ({@code refused-no-owner}, {@code refused-not-served}, {@code refused-loopback-denied}).
     */
    String how();

    /** How a routed connection found its group: the {@code how} label of the counts. */
    enum How {
        /** Its destination address belongs to the group. */
        ADDRESS("address"),
        /** It came from a local process of the group (its address, user, or a berth worker of it). */
        LOOPBACK("loopback"),
        /** Nobody owned it; the service's {@code default-group} took it. */
        DEFAULT("default");

        private final String label;

        How(String label) {
            this.label = label;
        }

        /** The word used in status, logs and metrics. */
        public String label() {
            return label;
        }
    }

    /** Why a connection was refused. */
    enum Cause {
        /** No group owns the destination or the connecting process, and there is no default group. */
        NO_OWNER("no-owner"),
        /** The owning group does not run this service, and there is no default group. */
        NOT_SERVED("not-served"),
        /** A process of a group with {@code loopback: deny} dialled another group's address. */
        LOOPBACK_DENIED("loopback-denied");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        /** The word used in status, logs and metrics. */
        public String label() {
            return label;
        }
    }

    /**
     * The connection goes to the group's instance of the service.
     *
     * @param group the group
     * @param way how it was found
     */
    record Routed(String group, How way) implements Verdict {
        /** Checks the arguments. */
        public Routed {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(way, "way");
        }

        @Override
        public String how() {
            return way.label();
        }
    }

    /**
     * The connection gets the protocol's refusal and is closed.
     *
     * @param cause why
     * @param group the group it would have gone to (the owner that does not run the service, the
     *     denied destination's group); empty when there is none
     */
    record Refused(Cause cause, String group) implements Verdict {
        /** Checks the arguments. */
        public Refused {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String how() {
            return "refused-" + cause.label();
        }
    }
}
