package dev.berth.mesh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The other process of the slot protocol tests: {@code MODE FILE [N]}.
 *
 * <ul>
 *   <li>{@code calls FILE N}: claims a slot, sends N calls of varied sizes (the ring wraps many
 *       times), and checks that N replies come back in order with the right payload; exit 0 if so;
 *   <li>{@code torn FILE}: claims a slot and stops in the middle of a record (claimed, never
 *       committed), then waits to be killed;
 *   <li>{@code hold FILE}: attaches through {@link Mesh} and makes one call of group {@code g} that
 *       nobody answers, then waits to be killed.
 * </ul>
 * It prints {@code ready} when it has done its part.
 */
public final class SlotChild {

    private SlotChild() {
    }

    public static void main(String[] args) throws Exception {
        SlotFile file = SlotFile.open(Path.of(args[1]));
        switch (args[0]) {
            case "calls" -> System.exit(calls(file, Integer.parseInt(args[2])) ? 0 : 3);
            case "torn" -> {
                Slot slot = claim(file);
                slot.requests().claim(MeshRecord.CANCEL, 8);
                ready();
            }
            case "hold" -> {
                Mesh mesh = SlotClient.attach(file, false);
                mesh.call("g", "k", "t", new byte[] {1}, Duration.ofMinutes(5));
                ready();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        untilTheParentGoes();
    }

    /**
     * Returns when the test that started this child closes its standard input or dies (the pipe
     * reaches end of file), or after 5 minutes at most, so that no child outlives its test.
     */
    private static void untilTheParentGoes() throws InterruptedException {
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException e) {
                // a broken pipe means the parent went too
            }
            gone.countDown();
        });
        gone.await(5, java.util.concurrent.TimeUnit.MINUTES);
    }

    private static void ready() {
        System.out.println("ready");
        System.out.flush();
    }

    static Slot claim(SlotFile file) {
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < file.capacity(); i++) {
            if (file.slot(i).claim(pid, Liveness.selfStart(), System.nanoTime() / 1_000_000)) {
                return file.slot(i);
            }
        }
        throw new IllegalStateException("no free slot");
    }

    private static boolean calls(SlotFile file, int n) {
        Slot slot = claim(file);
        ready();
        long[] expected = {0};
        boolean[] ok = {true};
        int sent = 0;
        long lastBeat = 0;
        while (expected[0] < n) {
            while (sent < n && sent - expected[0] < 8
                    && RecordCodec.write(slot.requests(), new MeshRecord.Call(sent, 0, "g", "", "", new byte[sent % 700]))) {
                sent++;
                file.bell().ring();
            }
            int got = slot.replies().read((type, data, index, length) -> {
                MeshRecord.Reply reply = (MeshRecord.Reply) RecordCodec.read(type, data, index, length);
                ok[0] &= reply.id() == expected[0] && reply.payload().length == (int) (expected[0] % 700);
                expected[0]++;
            }, 64);
            long now = System.nanoTime() / 1_000_000;
            if (now - lastBeat > 50) {
                slot.heartbeat(now);
                lastBeat = now;
            }
            if (got == 0) {
                long asleep = System.nanoTime();
                Wakeup.sleep(slot.ownerWaiter(), slot.replies()::hasRecord, 1_000_000_000L);
                if (System.nanoTime() - asleep >= 1_000_000_000L && slot.replies().hasRecord()) {
                    System.out.println("lost wake-up at reply " + expected[0]);
                    ok[0] = false;
                }
            }
        }
        slot.release(ProcessHandle.current().pid());
        return ok[0];
    }
}
