package dev.berth.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A second JVM for the multi-process tests, as another worker process would be:
 * {@code deliver <root> <mailbox> <count>} delivers and prints "done";
 * {@code lock <root> <mailbox>} takes the lock, prints "locked" or "busy", and holds it until
 * stdin closes.
 */
final class OtherWorker {

    private OtherWorker() {
    }

    public static void main(String[] args) throws IOException {
        MaildirStore store = MaildirStore.at(Path.of(args[1]), "h");
        Path mailbox = Path.of(args[2]);
        switch (args[0]) {
            case "deliver" -> {
                byte[] body = ("from pid " + ProcessHandle.current().pid() + "\r\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                    store.deliver(List.of(new MaildirTarget(mailbox, new byte[0])), MessageBody.of(body));
                }
                System.out.println("done");
            }
            case "lock" -> {
                var lock = store.lock(mailbox);
                System.out.println(lock.isPresent() ? "locked" : "busy");
                System.out.flush();
                System.in.readAllBytes();
                lock.ifPresent(MaildirLock::close);
            }
            default -> throw new IllegalArgumentException("mode: deliver or lock, not " + args[0]);
        }
    }
}
