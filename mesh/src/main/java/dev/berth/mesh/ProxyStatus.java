package dev.berth.mesh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's state as one JSON-ready map ({@code berth mesh status --json}): node, members with
 * their links, groups with their routes, slots in use, and the call counters. Stateless.
 */
final class ProxyStatus {

    private ProxyStatus() {
    }

    static Map<String, Object> of(MeshProxy proxy) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", proxy.node());
        status.put("pid", ProcessHandle.current().pid());
        status.put("listen", proxy.address().getAddress().getHostAddress() + ":" + proxy.address().getPort());
        status.put("epoch", proxy.epoch());
        status.put("members", members(proxy));
        status.put("groups", groups(proxy));
        status.put("slots", slots(proxy.file()));
        status.put("in-flight", proxy.core().inFlight());
        status.put("connections-in", proxy.server().connections());
        status.put("calls", proxy.counters().calls());
        status.put("call-seconds", proxy.counters().durations());
        return status;
    }

    private static List<Map<String, Object>> members(MeshProxy proxy) {
        List<Map<String, Object>> members = new ArrayList<>();
        Map<String, PeerLink> links = new LinkedHashMap<>();
        proxy.links().all().forEach(l -> links.put(l.node().isEmpty() ? l.address().toString() : l.node(), l));
        proxy.membership().all().stream().sorted(Comparator.comparing(MemberHealth::name)).forEach(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            PeerLink link = links.remove(m.name());
            member.put("node", m.name());
            member.put("self", m.local());
            member.put("address", link == null ? "" : link.address().getHostString() + ":" + link.address().getPort());
            member.put("up", m.up());
            member.put("connections", link == null ? 0 : link.connections());
            member.put("outstanding", m.outstanding());
            member.put("ejected", m.ejected());
            members.add(member);
        });
        links.forEach((name, link) -> members.add(Map.of("node", "", "self", false, "address", name, "up", false,
                "connections", link.connections(), "outstanding", 0, "ejected", false)));
        return members;
    }

    private static List<Map<String, Object>> groups(MeshProxy proxy) {
        List<Map<String, Object>> groups = new ArrayList<>();
        proxy.routers().forEach((name, router) -> {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("name", name);
            group.put("mode", router.group().mode().configName());
            group.put("members", router.members().stream().map(MemberHealth::name).toList());
            group.put("routes", router.group().routes());
            group.put("retry-budget", Math.floor(router.budget().balance() * 10) / 10);
            groups.add(group);
        });
        return groups;
    }

    private static Map<String, Object> slots(SlotFile file) {
        List<Map<String, Object>> used = new ArrayList<>();
        long now = System.nanoTime() / 1_000_000;
        for (int i = 0; i < file.capacity(); i++) {
            Slot slot = file.slot(i);
            if (slot.owner() == 0) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("slot", i);
            s.put("pid", slot.owner());
            s.put("generation", slot.generation());
            s.put("state", slot.state().name().toLowerCase(java.util.Locale.ROOT));
            s.put("calls", slot.calls());
            s.put("served", slot.served());
            s.put("heartbeat-age-ms", Math.max(0, now - slot.heartbeat()));
            used.add(s);
        }
        Map<String, Object> slots = new LinkedHashMap<>();
        slots.put("capacity", file.capacity());
        slots.put("used", used);
        return slots;
    }
}
