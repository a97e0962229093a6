package dev.berth.dispatcher;

import dev.berth.child.Child;
import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.Processes;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceKinds;
import dev.berth.tenancy.AddressTable;
import dev.berth.tenancy.Claim;
import dev.berth.tenancy.Classifier;
import dev.berth.tenancy.HostAddresses;
import dev.berth.tenancy.OwnerUids;
import dev.berth.tenancy.PeerOwners;
import dev.berth.tenancy.RefusalLog;
import dev.berth.tenancy.Refusals;
import dev.berth.tenancy.ServiceTenancy;
import dev.berth.tenancy.SockDiagOwners;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A dispatcher's tenant groups (docs/adr/0013): which of its services are classified, their
 * refusals, the classifier over the master's current address claims, and the lookups of loopback
 * peers' owners. Made on the main thread from the assignment (and, for a pool with grouped
 * services, the {@link ControlMessage.Tenancy} the master sends right after it); {@link #update}
 * runs on the main thread when the master sends new claims; the accept threads read the current
 * classifier and uids through volatile fields.
 */
final class Tenants implements AutoCloseable {

    private final HostConfig config;
    private final Map<String, ServiceTenancy> grouped;
    private final Map<String, byte[]> refusalTexts;
    private final Map<Long, String> workerGroups;
    private final Scoreboard scoreboard;
    private final Refusals refusals;
    private final LongSupplier clock;
    private final HostAddresses hostAddresses;
    private volatile Classifier classifier;
    private volatile OwnerUids uids = OwnerUids.NONE;

    private Tenants(HostConfig config, Map<String, ServiceTenancy> grouped, Map<String, byte[]> refusalTexts,
                    Map<Long, String> workerGroups, Child child) {
        this.config = config;
        this.grouped = grouped;
        this.refusalTexts = refusalTexts;
        this.workerGroups = workerGroups;
        this.scoreboard = child.scoreboard();
        this.clock = child.clock();
        this.refusals = new Refusals(child.clock());
        this.hostAddresses = new HostAddresses(child.clock());
        this.classifier = new Classifier(AddressTable.of(config.groups(), List.of(), 0), config.groups(), hostAddresses);
    }

    /**
     * The tenancy of a dispatcher's assignment; waits for the master's claims when the pool has
     * grouped services.
     *
     * @throws ControlException when the master sends something else first
     */
    static Tenants of(ControlMessage.Assignment assignment, Child child) {
        ServiceKinds kinds = ServiceKinds.installed();
        HostConfig config = ConfigLoader.parse(Path.of(assignment.configFile()), assignment.configText(), kinds.names());
        Map<String, ServiceTenancy> grouped = new HashMap<>();
        Map<String, byte[]> refusals = new HashMap<>();
        Map<Long, String> workerGroups = new HashMap<>();
        for (ServiceConfig service : config.groupedServicesOf(assignment.pool())) {
            grouped.put(service.name(), ServiceTenancy.of(service));
            refusals.put(service.name(), kinds.kind(service.kind()).refusal().orElse("").getBytes(StandardCharsets.UTF_8));
            service.groups().forEach(g -> workerGroups.put(
                    WorkerSlot.groupOf("WORKER", assignment.pool() + "@" + g.name()), g.name()));
        }
        Tenants tenants = new Tenants(config, Map.copyOf(grouped), Map.copyOf(refusals), Map.copyOf(workerGroups), child);
        if (!grouped.isEmpty()) {
            ControlChannel.Received first = child.control().receive()
                    .orElseThrow(() -> new ControlException("master closed the control socket before sending the claims"));
            FileDescriptors.closeAll(first.fds());
            if (!tenants.update(first.message())) {
                tenants.close();
                throw new ControlException("expected the address claims, got " + first.message());
            }
        }
        return tenants;
    }

    /** The sorter of the dispatcher's accept threads, counting into its slot. */
    LaneSorter sorter(String pool, WorkerSlot slot) {
        return new LaneSorter(new LaneSorter.Setup(pool, grouped, refusalTexts, () -> classifier), slot.counters(),
                refusals, new RefusalLog(clock));
    }

    /** A new lookup of loopback peers' owners, for one accept thread (which closes it). */
    PeerOwners owners() {
        return new SockDiagOwners(() -> uids, this::workers);
    }

    /** The pids of the pool's tenant group workers now, with their groups, from the scoreboard. */
    private Map<Long, String> workers() {
        Map<Long, String> pids = new HashMap<>();
        for (int i = 0; i < scoreboard.capacity(); i++) {
            WorkerSlot s = scoreboard.slot(i);
            String group = s.token() == 0 ? null : workerGroups.get(s.group());
            if (group != null && s.pid() > 0) {
                pids.put(s.pid(), group);
            }
        }
        return pids;
    }

    /** Takes new claims from the master; false for any other message. Main thread. */
    boolean update(ControlMessage message) {
        if (!(message instanceof ControlMessage.Tenancy tenancy)) {
            return false;
        }
        List<Claim> claims = tenancy.claims().stream().map(c -> new Claim(InetAddress.ofLiteral(c.address()), c.group(),
                "", 0, Claim.Origin.RUNTIME, c.draining() ? 1 : 0)).toList();
        classifier = new Classifier(AddressTable.of(claims), config.groups(), hostAddresses);
        uids = OwnerUids.of(tenancy.uids(), Processes.effectiveUid());
        return true;
    }

    /** Closes the lingering refused connections. */
    @Override
    public void close() {
        refusals.close();
    }
}
