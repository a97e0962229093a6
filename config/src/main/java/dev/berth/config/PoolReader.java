package dev.berth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;

/** Reads the {@code pools} mapping (name to pool) into records. Confined to the calling thread. */
final class PoolReader {

    private static final Set<String> POOL_KEYS = HostConfigReader.ordered(
            "workers", "threads", "accept", "max-requests", "hang-timeout", "drain-timeout", "jvm-options", "spare-workers");
    private static final Set<String> WORKER_KEYS = HostConfigReader.ordered("min", "max", "start");
    private static final String WORKERS_ACCEPTED = "a number of workers from 1 to " + PoolConfig.MAX_WORKERS
            + ", or {min, max, start} with 1 <= min <= start <= max <= " + PoolConfig.MAX_WORKERS;

    private final Problems problems;
    private final SequencedSet<String> names = new LinkedHashSet<>();

    PoolReader(Problems problems) {
        this.problems = problems;
    }

    /** The pools of the section, in file order; problems go to the pass's list. */
    List<PoolConfig> read(ConfigSection pools) {
        List<PoolConfig> result = new ArrayList<>();
        for (String name : pools.keys()) {
            names.add(name);
            int before = problems.count();
            if (!Names.valid(name)) {
                problems.add(pools.errorAtKey(name, Messages.quote(name) + " is not a valid pool name", Names.ACCEPTED));
            }
            ConfigSection section = problems.read(() -> pools.section(name), ConfigSection.empty(pools.location().file(), pools.pathOf(name)));
            PoolConfig pool = pool(name, section);
            if (problems.count() == before) {
                result.add(pool);
            }
        }
        return result;
    }

    /** Every pool name the file defines, valid or not, in file order. */
    SequencedSet<String> names() {
        return Collections.unmodifiableSequencedSet(names);
    }

    private PoolConfig pool(String name, ConfigSection p) {
        problems.check(() -> p.rejectUnknownKeys(POOL_KEYS));
        WorkerCount workers = problems.read(() -> workers(p), PoolConfig.DEFAULT_WORKERS);
        int threads = problems.read(() -> p.integer("threads", PoolConfig.DEFAULT_THREADS, 1, PoolConfig.MAX_THREADS),
                PoolConfig.DEFAULT_THREADS);
        AcceptStrategy accept = problems.read(() -> accept(p), AcceptStrategy.SHARED);
        long maxRequests = problems.read(() -> p.longInteger("max-requests", 0, 0, Long.MAX_VALUE), 0L);
        Duration hang = problems.read(() -> p.duration("hang-timeout", PoolConfig.DEFAULT_HANG_TIMEOUT, Duration.ofMillis(1)),
                PoolConfig.DEFAULT_HANG_TIMEOUT);
        Duration drain = problems.read(() -> p.duration("drain-timeout", PoolConfig.DEFAULT_DRAIN_TIMEOUT),
                PoolConfig.DEFAULT_DRAIN_TIMEOUT);
        List<String> jvmOptions = problems.read(() -> p.strings("jvm-options"), List.of());
        int spares = problems.read(() -> p.integer("spare-workers", 0, 0, PoolConfig.MAX_SPARE_WORKERS), 0);
        String safeName = Names.valid(name) ? name : PoolConfig.DEFAULT_NAME;
        return new PoolConfig(safeName, workers, threads, accept, maxRequests, hang, drain, jvmOptions, spares);
    }

    private WorkerCount workers(ConfigSection p) {
        Optional<Node> value = p.value("workers");
        if (value.isEmpty()) {
            return PoolConfig.DEFAULT_WORKERS;
        }
        return switch (value.get()) {
            case Node.Scalar _ -> {
                int n = p.integer("workers", 0, 1, PoolConfig.MAX_WORKERS);
                yield new WorkerCount(n, n, n);
            }
            case Node.Mapping _ -> workerRange(p);
            case Node other -> throw p.error("workers", "found " + other.describe(), WORKERS_ACCEPTED);
        };
    }

    private WorkerCount workerRange(ConfigSection p) {
        ConfigSection range = p.section("workers");
        Problems local = new Problems();
        local.check(() -> range.rejectUnknownKeys(WORKER_KEYS));
        int limit = PoolConfig.MAX_WORKERS;
        int min = local.read(() -> range.integer("min", 1, 1, limit), 1);
        int start = local.read(() -> range.integer("start", min, 1, limit), min);
        int max = local.read(() -> range.integer("max", Math.max(min, start), 1, limit), limit);
        local.throwIfAny();
        if (min > start || start > max) {
            throw p.error("workers", "min " + min + ", start " + start + " and max " + max + " are out of order",
                    "1 <= min <= start <= max <= " + limit + "; start defaults to min, max to start");
        }
        return new WorkerCount(min, max, start);
    }

    private AcceptStrategy accept(ConfigSection p) {
        Optional<String> name = p.string("accept");
        if (name.isEmpty()) {
            return AcceptStrategy.SHARED;
        }
        List<String> accepted = Arrays.stream(AcceptStrategy.values()).map(AcceptStrategy::configName).toList();
        return AcceptStrategy.byConfigName(name.get()).orElseThrow(() -> {
            String problem = Messages.withSuggestion(Messages.quote(name.get()) + " is not an accept strategy",
                    name.get(), accepted);
            return p.error("accept", problem, Messages.list(accepted));
        });
    }
}
