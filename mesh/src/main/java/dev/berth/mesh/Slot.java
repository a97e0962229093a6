package dev.berth.mesh;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static dev.berth.mesh.SlotDescriptor.CALLS_OFFSET;
import static dev.berth.mesh.SlotDescriptor.GENERATION_OFFSET;
import static dev.berth.mesh.SlotDescriptor.HEARTBEAT_OFFSET;
import static dev.berth.mesh.SlotDescriptor.MAX_SERVED;
import static dev.berth.mesh.SlotDescriptor.OWNER_OFFSET;
import static dev.berth.mesh.SlotDescriptor.OWNER_WAITER_OFFSET;
import static dev.berth.mesh.SlotDescriptor.SERVED_COUNT_OFFSET;
import static dev.berth.mesh.SlotDescriptor.SERVED_OFFSET;
import static dev.berth.mesh.SlotDescriptor.SERVES_OFFSET;
import static dev.berth.mesh.SlotDescriptor.START_OFFSET;
import static dev.berth.mesh.SlotDescriptor.STATE_OFFSET;

/**
 * One slot of the slot file (layout in {@link SlotDescriptor}): its identity words, its two rings
 * and its waiter word. A flyweight over the mapping, valid until the file is closed.
 *
 * <p>Who writes what: the owner claims and releases, stamps the heartbeat, writes the request ring
 * and reads the reply ring; the proxy reads the request ring, writes the reply ring, and reclaims
 * the slot of a dead owner. Every method is thread-safe in the sense of the word it touches; none
 * blocks.
 */
final class Slot {

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final int index;
    private final MemorySegment control;
    private final Ring requests;
    private final Ring replies;

    Slot(int index, MemorySegment slot, int ringCapacity) {
        this.index = index;
        this.control = slot.asSlice(0, SlotDescriptor.CONTROL_LENGTH);
        MemorySegment requestData = slot.asSlice(SlotDescriptor.CONTROL_LENGTH, ringCapacity);
        MemorySegment replyData = slot.asSlice(SlotDescriptor.CONTROL_LENGTH + (long) ringCapacity, ringCapacity);
        this.requests = new Ring(requestData, control, SlotDescriptor.REQUEST_TAIL_OFFSET,
                SlotDescriptor.REQUEST_HEAD_CACHE_OFFSET, SlotDescriptor.REQUEST_HEAD_OFFSET);
        this.replies = new Ring(replyData, control, SlotDescriptor.REPLY_TAIL_OFFSET,
                SlotDescriptor.REPLY_HEAD_CACHE_OFFSET, SlotDescriptor.REPLY_HEAD_OFFSET);
    }

    int index() {
        return index;
    }

    /** Owner to proxy. */
    Ring requests() {
        return requests;
    }

    /** Proxy to owner. */
    Ring replies() {
        return replies;
    }

    /** The word the owner's reader sleeps on. */
    MemorySegment ownerWaiter() {
        return control.asSlice(OWNER_WAITER_OFFSET, 4);
    }

    long owner() {
        return (long) LONG.getAcquire(control, (long) OWNER_OFFSET);
    }

    long ownerStart() {
        return (long) LONG.getAcquire(control, (long) START_OFFSET);
    }

    int generation() {
        return (int) INT.getAcquire(control, (long) GENERATION_OFFSET);
    }

    SlotState state() {
        return SlotState.of((int) INT.getAcquire(control, (long) STATE_OFFSET));
    }

    /**
     * Owner: takes a free slot for process {@code pid} and makes it active with empty rings and a
     * new generation.
     *
     * @param startMillis the process's start time, epoch ms
     * @return false when another process holds the slot
     */
    boolean claim(long pid, long startMillis, long nowMillis) {
        if (!LONG.compareAndSet(control, (long) OWNER_OFFSET, 0L, pid)) {
            return false;
        }
        INT.setRelease(control, (long) STATE_OFFSET, SlotState.CLAIMING.code());
        LONG.setRelease(control, (long) START_OFFSET, startMillis);
        requests.reset();
        replies.reset();
        INT.setRelease(control, (long) SERVES_OFFSET, 0);
        INT.setVolatile(control, (long) OWNER_WAITER_OFFSET, 0);
        LONG.setRelease(control, (long) CALLS_OFFSET, 0L);
        LONG.setRelease(control, (long) SERVED_COUNT_OFFSET, 0L);
        heartbeat(nowMillis);
        INT.getAndAdd(control, (long) GENERATION_OFFSET, 1);
        INT.setRelease(control, (long) STATE_OFFSET, SlotState.ACTIVE.code());
        return true;
    }

    /**
     * Proxy, or a claimer short of free slots: clears the slot of an owner found dead and frees it.
     * Only one caller wins for a given owner.
     *
     * @return false when the slot no longer belongs to {@code deadOwner} or someone else reclaims it
     */
    boolean reclaim(long deadOwner) {
        int state = (int) INT.getAcquire(control, (long) STATE_OFFSET);
        if (owner() != deadOwner || deadOwner == 0 || state == SlotState.RECLAIMING.code()
                || !INT.compareAndSet(control, (long) STATE_OFFSET, state, SlotState.RECLAIMING.code())) {
            return false;
        }
        if (owner() != deadOwner) {
            INT.setRelease(control, (long) STATE_OFFSET, state);
            return false;
        }
        free();
        return true;
    }

    /** Owner: gives the slot up at exit; replies still in flight to it are dropped by generation. */
    void release(long pid) {
        if (owner() == pid) {
            INT.setRelease(control, (long) STATE_OFFSET, SlotState.RECLAIMING.code());
            free();
        }
    }

    private void free() {
        requests.reset();
        replies.reset();
        INT.setRelease(control, (long) SERVES_OFFSET, 0);
        INT.getAndAdd(control, (long) GENERATION_OFFSET, 1);
        INT.setRelease(control, (long) STATE_OFFSET, SlotState.FREE.code());
        LONG.setRelease(control, (long) START_OFFSET, 0L);
        LONG.setRelease(control, (long) OWNER_OFFSET, 0L);
    }

    /** Owner: stamps its heartbeat (CLOCK_MONOTONIC ms). */
    void heartbeat(long nowMillis) {
        LONG.setRelease(control, (long) HEARTBEAT_OFFSET, nowMillis);
    }

    long heartbeat() {
        return (long) LONG.getAcquire(control, (long) HEARTBEAT_OFFSET);
    }

    /**
     * Owner: announces that it executes requests of {@code group}.
     *
     * @throws MeshException when it already serves {@value SlotDescriptor#MAX_SERVED} groups
     */
    void serve(String group) {
        long hash = hash(group);
        int count = (int) INT.getAcquire(control, (long) SERVES_OFFSET);
        for (int i = 0; i < count; i++) {
            if ((long) LONG.getAcquire(control, SERVED_OFFSET + 8L * i) == hash) {
                return;
            }
        }
        if (count == MAX_SERVED) {
            throw new MeshException("a process serves at most " + MAX_SERVED + " mesh groups");
        }
        LONG.setRelease(control, SERVED_OFFSET + 8L * count, hash);
        INT.setRelease(control, (long) SERVES_OFFSET, count + 1);
    }

    /** Whether the owner announced that it executes requests of the group with this {@link #hash}. */
    boolean serves(long groupHash) {
        int count = Math.min(MAX_SERVED, (int) INT.getAcquire(control, (long) SERVES_OFFSET));
        for (int i = 0; i < count; i++) {
            if ((long) LONG.getAcquire(control, SERVED_OFFSET + 8L * i) == groupHash) {
                return true;
            }
        }
        return false;
    }

    /** Owner: one more call sent. */
    void countCall() {
        LONG.getAndAdd(control, (long) CALLS_OFFSET, 1L);
    }

    /** Owner: one more request executed. */
    void countServed() {
        LONG.getAndAdd(control, (long) SERVED_COUNT_OFFSET, 1L);
    }

    long calls() {
        return (long) LONG.getAcquire(control, (long) CALLS_OFFSET);
    }

    long served() {
        return (long) LONG.getAcquire(control, (long) SERVED_COUNT_OFFSET);
    }

    /** FNV-1a over the UTF-8 of a group name: how a served group is stored. */
    static long hash(String group) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : group.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
