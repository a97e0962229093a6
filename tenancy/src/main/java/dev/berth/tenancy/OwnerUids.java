package dev.berth.tenancy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the owner uid of a loopback peer socket says (docs/adr/0013): the group it names alone, and
 * whether a berth group worker could hold the socket at all. A socket belongs to the uid of the
 * process that created it, and a group's workers create their connections themselves, under the
 * group's {@code user} or, for a group without one, {@code master.user}: the uid the dispatcher
 * runs as (the master starts both as {@code master.user}, or as its own user when it is not
 * root). A peer socket of any other uid (a root client, another service's user) is held by no
 * berth worker, and the classifier need not look among the workers' descriptors for it
 * (bench/results/tenancy.md: that look cost 31 readlinks per connection).
 *
 * @param groups the group of each uid that belongs to exactly one group; a uid shared by groups
 *     tells nothing and is left out
 * @param workers every uid a group's worker may run as
 */
public record OwnerUids(Map<Integer, String> groups, Set<Integer> workers) {

    /** Nobody: no uid names a group, no worker runs anywhere. */
    public static final OwnerUids NONE = new OwnerUids(Map.of(), Set.of());

    /** Copies the map and the set. */
    public OwnerUids {
        groups = Map.copyOf(groups);
        workers = Set.copyOf(workers);
    }

    /**
     * The uids of a config's groups.
     *
     * @param uidOfGroup the uid of each group's own user (resolved by the master)
     * @param dispatcherUid the uid the dispatcher runs as, which is that of the workers of groups
     *     without a user of their own; root (0) runs no group's worker and is left out
     */
    public static OwnerUids of(Map<String, Integer> uidOfGroup, int dispatcherUid) {
        Map<Integer, String> byUid = new HashMap<>();
        Map<Integer, Integer> count = new HashMap<>();
        uidOfGroup.forEach((group, uid) -> {
            byUid.put(uid, group);
            count.merge(uid, 1, Integer::sum);
        });
        count.forEach((uid, n) -> {
            if (n > 1) {
                byUid.remove(uid);
            }
        });
        Set<Integer> workers = new HashSet<>(uidOfGroup.values());
        if (dispatcherUid != 0) {
            workers.add(dispatcherUid);
        }
        return new OwnerUids(byUid, workers);
    }
}
