package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void namesCarryTimePidAndCounterAndFitAUidl() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(4_102_444_799L, 999_999_000), ZoneOffset.UTC);
        UniqueNames names = new UniqueNames("a-very-long-host-name.in.a.very.long.domain.example.test", clock);
        String a = names.next();
        String b = names.next();
        assertThat(a).startsWith("4102444799.M999999P" + ProcessHandle.current().pid() + "Q").endsWith(".a-very-long-host-name.in.a.very.");
        assertThat(a).isNotEqualTo(b).matches("[\\x21-\\x7e]{1,70}");
    }

    @Test
    void hostNamesAreEscapedAsDovecotDoes() {
        assertThat(UniqueNames.sanitize("mx/1:2,3 x")).isEqualTo("mx\\0571\\0722\\0543_x");
        assertThat(UniqueNames.sanitize("")).isEqualTo("localhost");
    }

    @Test
    void namesSortByEncodedTimeThenName() {
        List<String> names = new ArrayList<>(List.of("1700000010.M200000P1.h", "1700000010.M5P1.h", "junk", "999.M1P1.h", "1700000010.M5P0.h"));
        names.sort(UniqueNames::compare);
        assertThat(names).containsExactly("junk", "999.M1P1.h", "1700000010.M5P0.h", "1700000010.M5P1.h", "1700000010.M200000P1.h");
    }
}
