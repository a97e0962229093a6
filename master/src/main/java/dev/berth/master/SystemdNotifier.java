package dev.berth.master;

import dev.berth.posix.NotifySocket;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Tells systemd how the master is doing ({@code sd_notify(3)}), when it was started with {@code
 * NOTIFY_SOCKET} (a {@code Type=notify} or {@code notify-reload} unit):
 *
 * <pre>
 *  start ........ READY=1 + STATUS=   once every pool has its workers ready
 *  reload ....... RELOADING=1 + MONOTONIC_USEC=   then READY=1 + STATUS= once the new generation
 *                 is ready (or at once, with the reason, when the new config was refused)
 *  stop ......... STOPPING=1 + STATUS=
 * </pre>
 *
 * Without a socket every call does nothing. A send that fails is logged once and otherwise
 * ignored: systemd's timeouts report a master that never became ready. Called on the supervisor
 * thread; a send is one datagram and never waits.
 */
final class SystemdNotifier {

    private static final System.Logger LOG = System.getLogger(SystemdNotifier.class.getName());

    private final Optional<String> socket;
    private final LongSupplier monotonicMicros;
    private boolean failed;

    /**
     * @param socket the {@code NOTIFY_SOCKET} value, empty when not under systemd
     * @param monotonicMicros CLOCK_MONOTONIC in microseconds, for {@code MONOTONIC_USEC}
     */
    SystemdNotifier(Optional<String> socket, LongSupplier monotonicMicros) {
        this.socket = socket.filter(s -> !s.isBlank());
        this.monotonicMicros = monotonicMicros;
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros.getAsLong() + "\nSTATUS=reloading");
    }

    void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    void status(String status) {
        send("STATUS=" + status);
    }

    private void send(String message) {
        if (socket.isEmpty()) {
            return;
        }
        try {
            NotifySocket.send(socket.get(), message);
        } catch (RuntimeException e) {
            if (!failed) {
                failed = true;
                LOG.log(Level.WARNING, "cannot notify systemd on " + socket.get() + ": " + e.getMessage());
            }
        }
    }
}
