package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Picks the member that runs a call of one group (DESIGN.md §8):
 *
 * <ul>
 *   <li>normal: of the available members not yet tried, two at random, the one with fewer calls
 *       outstanding (P2C); a failed call is retried on another while the {@link RetryBudget} allows;
 *   <li>routed: the available member with the highest rendezvous weight for the key, so a key stays
 *       on its member, moves (with only that member's keys) when it leaves, and returns with it;
 *   <li>keyed: the member {@code routes} gives for the call's type, else the {@code "*"} route; no
 *       failover to another member.
 * </ul>
 *
 * When every member of a normal or routed group is ejected, ejection is ignored (Envoy's panic
 * mode): a sick member beats no member. Thread-safe; time comes from the injected clock.
 */
final class GroupRouter {

    private final MeshConfig.Group group;
    private final Membership membership;
    private final LongSupplier nanos;
    private final RandomGenerator random;
    private final RetryBudget budget = new RetryBudget();

    GroupRouter(MeshConfig.Group group, Membership membership, LongSupplier nanos, RandomGenerator random) {
        this.group = group;
        this.membership = membership;
        this.nanos = nanos;
        this.random = random;
    }

    MeshConfig.Group group() {
        return group;
    }

    RetryBudget budget() {
        return budget;
    }

    /**
     * The member for a call, skipping those in {@code tried}; marks a probe taken.
     *
     * @return empty when no member can take it
     */
    Optional<MemberHealth> pick(String key, String type, Set<String> tried) {
        return switch (group.mode()) {
            case NORMAL -> twoChoices(candidates(tried));
            case ROUTED -> highestWeight(key, candidates(tried));
            case KEYED -> keyed(type, tried);
        };
    }

    /** The members of the group, in config order ({@code "*"}: every known node). */
    List<MemberHealth> members() {
        List<MemberHealth> members = new ArrayList<>();
        for (String name : group.members()) {
            if (name.equals("*")) {
                membership.all().stream().filter(m -> !members.contains(m)).forEach(members::add);
            } else {
                members.add(membership.node(name));
            }
        }
        return members;
    }

    private List<MemberHealth> candidates(Set<String> tried) {
        long now = nanos.getAsLong();
        List<MemberHealth> up = members().stream().filter(m -> m.up() && !tried.contains(m.name())).toList();
        List<MemberHealth> available = up.stream().filter(m -> m.available(now, false)).toList();
        return available.isEmpty() ? up : available;
    }

    private Optional<MemberHealth> twoChoices(List<MemberHealth> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        MemberHealth a = candidates.get(random.nextInt(candidates.size()));
        if (candidates.size() == 1) {
            return take(a);
        }
        MemberHealth b = candidates.get(random.nextInt(candidates.size() - 1));
        if (b == a) {
            b = candidates.getLast();
        }
        return take(b.outstanding() < a.outstanding() ? b : a);
    }

    private Optional<MemberHealth> highestWeight(String key, List<MemberHealth> candidates) {
        long keyHash = Rendezvous.hash(key);
        MemberHealth best = null;
        long bestWeight = 0;
        for (MemberHealth m : candidates) {
            long weight = Rendezvous.weight(keyHash, Rendezvous.hash(m.name()));
            if (best == null || Long.compareUnsigned(weight, bestWeight) > 0) {
                best = m;
                bestWeight = weight;
            }
        }
        return best == null ? Optional.empty() : take(best);
    }

    private Optional<MemberHealth> keyed(String type, Set<String> tried) {
        String name = group.routes().getOrDefault(type, group.routes().get("*"));
        if (name == null || tried.contains(name)) {
            return Optional.empty();
        }
        MemberHealth member = membership.node(name);
        return member.up() ? take(member) : Optional.empty();
    }

    private Optional<MemberHealth> take(MemberHealth member) {
        member.available(nanos.getAsLong(), true);
        return Optional.of(member);
    }
}
