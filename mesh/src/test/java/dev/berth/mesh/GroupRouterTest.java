package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Routing on a hand-moved clock: no network, no threads. */
class GroupRouterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Membership membership = new Membership("self");

    private GroupRouter router(MeshConfig.Mode mode, List<String> members, Map<String, String> routes) {
        members.forEach(m -> membership.node(m).up(true));
        routes.values().forEach(m -> membership.node(m).up(true));
        return new GroupRouter(new MeshConfig.Group("g", mode, members, routes), membership, now::get, new Random(7));
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("node-" + i);
        }
        return names;
    }

    private Map<String, String> placeAll(GroupRouter router, int keys) {
        Map<String, String> placement = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            placement.put("user" + k, router.pick("user" + k, "", Set.of()).orElseThrow().name());
        }
        return placement;
    }

    @Test
    void routedModeMovesOnlyTheLeavingNodesKeysEvenlyAndBringsThemBack() {
        GroupRouter router = router(MeshConfig.Mode.ROUTED, names(10), Map.of());
        int keys = 20_000;
        Map<String, String> before = placeAll(router, keys);
        Map<String, Integer> load = new HashMap<>();
        before.values().forEach(n -> load.merge(n, 1, Integer::sum));
        assertThat(load.values().stream().mapToInt(Integer::intValue).max().orElseThrow())
                .isLessThan(keys / 10 * 115 / 100);

        membership.node("node-3").up(false);
        Map<String, String> during = placeAll(router, keys);
        long moved = before.keySet().stream().filter(k -> !before.get(k).equals(during.get(k))).count();
        long owned = before.values().stream().filter("node-3"::equals).count();
        assertThat(moved).isEqualTo(owned);
        assertThat((double) moved / keys).isCloseTo(0.10, within(0.02));
        Map<String, Integer> received = new HashMap<>();
        before.forEach((k, n) -> {
            if (n.equals("node-3")) {
                received.merge(during.get(k), 1, Integer::sum);
            }
        });
        assertThat(received).hasSize(9);
        assertThat(received.values()).allSatisfy(c -> assertThat(c).isBetween((int) owned / 9 / 2, (int) owned / 9 * 2));

        membership.node("node-3").up(true);
        assertThat(placeAll(router, keys)).isEqualTo(before);
    }

    @Test
    void normalModePrefersTheMemberWithFewerCallsOutstanding() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of());
        for (int i = 0; i < 5; i++) {
            membership.node("b").started();
        }
        for (int i = 0; i < 20; i++) {
            assertThat(router.pick("", "", Set.of()).orElseThrow().name()).isEqualTo("c");
        }
    }

    @Test
    void normalModeSpreadsEvenLoadOverEveryMember() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b", "c", "d"), Map.of());
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            picks.merge(router.pick("", "", Set.of()).orElseThrow().name(), 1, Integer::sum);
        }
        assertThat(picks.values()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
    }

    @Test
    void aRetrySkipsTheMembersAlreadyTried() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of());
        for (int i = 0; i < 20; i++) {
            assertThat(router.pick("", "", Set.of("b")).orElseThrow().name()).isEqualTo("c");
        }
        assertThat(router.pick("", "", Set.of("b", "c"))).isEmpty();
    }

    @Test
    void keyedModeFollowsTheRoutesAndTheStarWithoutFailover() {
        GroupRouter router = router(MeshConfig.Mode.KEYED, List.of(), Map.of("club", "c", "*", "b"));
        assertThat(router.pick("", "club", Set.of()).orElseThrow().name()).isEqualTo("c");
        assertThat(router.pick("", "other", Set.of()).orElseThrow().name()).isEqualTo("b");
        membership.node("c").up(false);
        assertThat(router.pick("", "club", Set.of())).isEmpty();
    }

    @Test
    void fiveFailuresInARowEjectAMemberUntilItsProbeSucceeds() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of());
        MemberHealth b = membership.node("b");
        for (int i = 0; i < MemberHealth.EJECT_AFTER; i++) {
            b.started();
            b.failed(now.get());
        }
        assertThat(b.ejected()).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(router.pick("", "", Set.of()).orElseThrow().name()).isEqualTo("c");
        }
        now.addAndGet(MemberHealth.EJECT_NANOS);
        assertThat(router.pick("", "", Set.of("c")).orElseThrow().name()).isEqualTo("b");
        b.started();
        b.succeeded();
        assertThat(b.ejected()).isFalse();
    }

    @Test
    void aMemberWhoseLinkWentDownAndCameBackIsNoLongerEjected() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of());
        MemberHealth b = membership.node("b");
        for (int i = 0; i < MemberHealth.EJECT_AFTER; i++) {
            b.started();
            b.failed(now.get());
        }
        b.up(true);
        assertThat(b.ejected()).as("a ping that finds the link still up changes nothing").isTrue();
        b.up(false);
        b.up(true);
        assertThat(b.ejected()).isFalse();
        assertThat(placeAll(router, 200).values()).contains("b");
    }

    @Test
    void aFailedProbeEjectsTheMemberForLonger() {
        MemberHealth b = membership.node("b");
        b.up(true);
        for (int i = 0; i < MemberHealth.EJECT_AFTER; i++) {
            b.started();
            b.failed(now.get());
        }
        now.addAndGet(MemberHealth.EJECT_NANOS);
        assertThat(b.available(now.get(), true)).isTrue();
        b.started();
        b.failed(now.get());
        now.addAndGet(MemberHealth.EJECT_NANOS);
        assertThat(b.available(now.get(), false)).isFalse();
        now.addAndGet(MemberHealth.EJECT_NANOS);
        assertThat(b.available(now.get(), false)).isTrue();
    }

    @Test
    void whenEveryMemberIsEjectedTheyAreUsedAnyway() {
        GroupRouter router = router(MeshConfig.Mode.NORMAL, List.of("b"), Map.of());
        MemberHealth b = membership.node("b");
        for (int i = 0; i < MemberHealth.EJECT_AFTER; i++) {
            b.started();
            b.failed(now.get());
        }
        assertThat(router.pick("", "", Set.of())).isPresent();
    }

    @Test
    void theRetryBudgetAllowsAboutOneRetryInFiveCalls() {
        RetryBudget budget = new RetryBudget();
        int retries = 0;
        for (int i = 0; i < 1000; i++) {
            budget.deposit();
            if (budget.withdraw()) {
                retries++;
            }
        }
        assertThat(retries).isBetween(200, 200 + (int) RetryBudget.RESERVE);
    }
}
