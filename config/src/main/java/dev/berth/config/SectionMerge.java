package dev.berth.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * Merges a tenant group's overrides over a service's section (DESIGN.md §7): mappings merge key by
 * key, scalars and lists replace, an empty override value removes the key. Every value keeps the
 * location it was written at, so a problem in the merged section points at the line that caused it.
 * Stateless.
 */
final class SectionMerge {

    private SectionMerge() {
    }

    /**
     * The merged section.
     *
     * @param base the service's own section for its kind
     * @param override the group's section for the kind (empty: the base as it is)
     * @param path the key path that messages name for the merged section
     */
    static ConfigSection merge(ConfigSection base, ConfigSection override, String path) {
        Location at = base.keys().isEmpty() && !override.keys().isEmpty() ? override.location() : base.location();
        return new ConfigSection(base.location().file(), path, at, merge(base.entries(), override.entries()));
    }

    private static SequencedMap<String, Node.Entry> merge(SequencedMap<String, Node.Entry> base,
                                                          SequencedMap<String, Node.Entry> override) {
        SequencedMap<String, Node.Entry> merged = new LinkedHashMap<>(base);
        override.forEach((key, entry) -> {
            Node.Entry under = merged.get(key);
            if (under != null && under.value() instanceof Node.Mapping low && entry.value() instanceof Node.Mapping high) {
                Node.Mapping both = new Node.Mapping(low.location(), merge(low.entries(), high.entries()));
                merged.put(key, new Node.Entry(key, under.keyLocation(), both));
            } else {
                merged.put(key, entry);
            }
        });
        return Collections.unmodifiableSequencedMap(merged);
    }
}
