package dev.berth.config;

import java.util.regex.Pattern;

/** The rule for service and pool names, which end up in file names, logs and status output. */
final class Names {

    static final String ACCEPTED = "lower-case letters, digits and '-', starting with a letter or digit, like smtp-1";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private Names() {
    }

    static boolean valid(String name) {
        return NAME.matcher(name).matches();
    }

    /** The name, if valid. */
    static String check(String what, String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException(what + " " + Messages.quote(name) + " is not valid; accepted: " + ACCEPTED);
        }
        return name;
    }
}
