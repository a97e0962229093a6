package dev.berth.dispatcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The dispatcher's command line, written by the master's spawner, as a worker's:
 * {@code --control PATH --scoreboard PATH --slot N --token T}.
 *
 * @param control the master's control socket
 * @param scoreboard the scoreboard file
 * @param slot this dispatcher's slot index
 * @param token the token the master wrote into that slot
 */
record DispatcherArguments(Path control, Path scoreboard, int slot, long token) {

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException naming the missing or malformed option
     */
    static DispatcherArguments parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return new DispatcherArguments(Path.of(required(options, "--control")),
                Path.of(required(options, "--scoreboard")), Integer.parseInt(required(options, "--slot")),
                Long.parseLong(required(options, "--token")));
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + " (the master starts dispatchers; see berth run)");
        }
        return value;
    }
}
