package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessagesTest {

    static final List<String> POOL_KEYS = List.of(
            "workers", "threads", "accept", "max-requests", "hang-timeout", "drain-timeout", "jvm-options");

    @Test
    void editDistanceCountsAdjacentSwapsAsOneEdit() {
        assertThat(Messages.distance("usr", "user")).isEqualTo(1);
        assertThat(Messages.distance("wrokers", "workers")).isEqualTo(1);
        assertThat(Messages.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Messages.distance("", "abc")).isEqualTo(3);
        assertThat(Messages.distance("same", "same")).isZero();
    }

    @Test
    void closestKeyIsSuggestedForTyposCaseAndUnderscores() {
        assertThat(Messages.closest("threds", POOL_KEYS)).contains("threads");
        assertThat(Messages.closest("max_requests", POOL_KEYS)).contains("max-requests");
        assertThat(Messages.closest("Hang-Timeout", POOL_KEYS)).contains("hang-timeout");
        assertThat(Messages.closest("jvm-opts", POOL_KEYS)).contains("jvm-options");
        assertThat(Messages.closest("ecoh", Set.of("echo", "http"))).contains("echo");
    }

    @Test
    void distantNamesGetNoSuggestion() {
        assertThat(Messages.closest("colour", POOL_KEYS)).isEmpty();
        assertThat(Messages.closest("ab", List.of("cd"))).isEmpty();
        assertThat(Messages.didYouMean("gopher", Set.of("echo", "http"))).isEmpty();
    }

    @Test
    void firstOfEquallyCloseCandidatesWins() {
        assertThat(Messages.closest("ab", List.of("xb", "ax"))).contains("xb");
    }

    @Test
    void quotingEscapesWhatWouldConfuseAReader() {
        assertThat(Messages.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
    }

    @Test
    void problemLineLeavesOutEmptyParts() {
        Location at = new Location(java.nio.file.Path.of("berth.yaml"), 3, 5);

        assertThat(Messages.format(at, "", "bad", "")).isEqualTo("berth.yaml:3:5: bad");
        assertThat(Messages.format(at, "a.b", "bad", "good")).isEqualTo("berth.yaml:3:5: a.b: bad; accepted: good");
        assertThat(Messages.format(at, "a", "x; did you mean \"y\"?", "y")).isEqualTo(
                "berth.yaml:3:5: a: x; did you mean \"y\"? accepted: y");
    }
}
