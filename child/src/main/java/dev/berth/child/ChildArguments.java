package dev.berth.child;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A child's command line, the same for every role: the master writes it with {@link #toArgs},
 * {@link ChildMain} reads it with {@link #parse}, so the two cannot drift apart.
 * {@code --role NAME --control PATH --scoreboard PATH --slot N --token T [--spare true]}.
 *
 * @param role the {@link ChildRole#name} the child plays
 * @param control the master's control socket
 * @param scoreboard the scoreboard file
 * @param slot the child's slot index
 * @param token the token the master wrote into that slot
 * @param spare whether it is started as a spare: its assignment comes when the master promotes
 *     it, maybe much later, and it prepares meanwhile ({@link ChildRole#prepare})
 */
public record ChildArguments(String role, Path control, Path scoreboard, int slot, long token, boolean spare) {

    /** Checks the arguments. */
    public ChildArguments {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(scoreboard, "scoreboard");
        if (slot < 0 || token == 0) {
            throw new IllegalArgumentException("slot must be >= 0 and token not 0: " + slot + ", " + token);
        }
    }

    /** A child started for work now, not a spare. */
    public ChildArguments(String role, Path control, Path scoreboard, int slot, long token) {
        this(role, control, scoreboard, slot, token, false);
    }

    /**
     * Parses a command line.
     *
     * @throws IllegalArgumentException naming the missing or malformed option
     */
    public static ChildArguments parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        try {
            return new ChildArguments(required(options, "--role"), Path.of(required(options, "--control")),
                    Path.of(required(options, "--scoreboard")), Integer.parseInt(required(options, "--slot")),
                    Long.parseLong(required(options, "--token")), Boolean.parseBoolean(options.get("--spare")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--slot and --token take numbers: " + e.getMessage(), e);
        }
    }

    /** The command line that {@link #parse} reads back, to follow the main class. */
    public List<String> toArgs() {
        List<String> args = new java.util.ArrayList<>(List.of("--role", role, "--control", control.toString(),
                "--scoreboard", scoreboard.toString(), "--slot", Integer.toString(slot), "--token", Long.toString(token)));
        if (spare) {
            args.addAll(List.of("--spare", "true"));
        }
        return List.copyOf(args);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + " (the master starts its children; see berth run)");
        }
        return value;
    }
}
