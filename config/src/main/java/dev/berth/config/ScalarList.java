package dev.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a YAML list of scalars out of a section, reporting every bad item at once. Stateless. */
final class ScalarList {

    private ScalarList() {
    }

    /**
     * The items of the list under {@code key}, or an empty list when absent.
     *
     * @throws ConfigException if the value is not a list, naming it, or with one problem per item
     *     that is a mapping, a list or empty
     */
    static List<Node.Scalar> read(ConfigSection section, String key, String accepted) {
        Optional<Node> value = section.value(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof Node.Sequence sequence)) {
            throw section.error(key, "found " + value.get().describe(), accepted);
        }
        Problems problems = new Problems();
        List<Node.Scalar> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            switch (sequence.items().get(i)) {
                case Node.Scalar scalar -> items.add(scalar);
                case Node item -> problems.add(item.location(), section.pathOf(key) + "[" + i + "]",
                        "found " + item.describe(), accepted);
            }
        }
        problems.throwIfAny();
        return List.copyOf(items);
    }
}
