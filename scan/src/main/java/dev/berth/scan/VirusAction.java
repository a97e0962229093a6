package dev.berth.scan;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a mail service does with an infected message: the smtp section's {@code on-virus:} key. */
public enum VirusAction {
    /** Refuse it: 554 5.7.1 naming the threat. */
    REJECT,
    /** Accept it and store it in quarantine, not in the mailbox. */
    QUARANTINE,
    /** Deliver it with {@code X-Berth-Virus:} headers. */
    TAG;

    /**
     * Reads the key as {@code reject}, {@code quarantine} or {@code tag} (any case). Pure.
     *
     * @param dflt the action when the key is absent
     * @throws ConfigException located at the value, for any other value
     */
    public static VirusAction parse(ConfigSection where, String key, VirusAction dflt) {
        return where.string(key).map(text -> {
            for (VirusAction action : values()) {
                if (action.toString().equals(text.toLowerCase(Locale.ROOT))) {
                    return action;
                }
            }
            throw where.error(key, "\"" + text + "\" is not a virus action", accepted());
        }).orElse(dflt);
    }

    /** The config spelling: {@code reject}, {@code quarantine} or {@code tag}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String accepted() {
        return Arrays.stream(values()).map(VirusAction::toString).collect(Collectors.joining(", "));
    }
}
