package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {

    static final Path FILE = Path.of("/srv/mail/smtp.yaml");

    static ConfigSection yaml(String text) {
        return ConfigSection.parseYaml(FILE, text);
    }

    @Test
    void scalarsAreReadWithTheirTypes() {
        ConfigSection s = yaml("""
                hostname: mx.example.test
                port: 25
                message-size: 25m
                idle-timeout: 5m
                require-tls: yes
                users: users.txt
                domains: [example.test, example.org]
                """);

        assertThat(s.path()).isEmpty();
        assertThat(s.keys()).containsExactly(
                "hostname", "port", "message-size", "idle-timeout", "require-tls", "users", "domains");
        assertThat(s.string("hostname")).contains("mx.example.test");
        assertThat(s.string("port")).contains("25");
        assertThat(s.integer("port", 0, 1, 65535)).isEqualTo(25);
        assertThat(s.size("message-size", 0)).isEqualTo(25L << 20);
        assertThat(s.duration("idle-timeout", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.bool("require-tls", false)).isTrue();
        assertThat(s.file("users")).contains(Path.of("/srv/mail/users.txt"));
        assertThat(s.strings("domains")).containsExactly("example.test", "example.org");
    }

    @Test
    void absentAndEmptyKeysGiveTheDefaults() {
        ConfigSection s = yaml("""
                blank:
                tilde: ~
                """);

        assertThat(s.keys()).containsExactly("blank", "tilde");
        assertThat(s.has("blank")).isFalse();
        assertThat(s.has("absent")).isFalse();
        assertThat(s.string("blank")).isEmpty();
        assertThat(s.string("tilde", "x")).isEqualTo("x");
        assertThat(s.integer("absent", 7, 1, 10)).isEqualTo(7);
        assertThat(s.size("absent", 1024)).isEqualTo(1024);
        assertThat(s.duration("absent", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.bool("absent", true)).isTrue();
        assertThat(s.file("absent")).isEmpty();
        assertThat(s.strings("absent")).isEmpty();
        assertThat(s.section("tilde").keys()).isEmpty();
    }

    @Test
    void sizesTakeBinarySuffixes() {
        ConfigSection s = yaml("""
                a: 65536
                b: 64k
                c: 10M
                d: 1g
                e: 2t
                f: 8kb
                g: 0
                """);

        assertThat(List.of("a", "b", "c", "d", "e", "f", "g")).map(k -> s.size(k, -1)).containsExactly(
                65536L, 64L * 1024, 10L << 20, 1L << 30, 2L << 40, 8192L, 0L);
    }

    @Test
    void badSizesAreLocatedErrors() {
        ConfigSection s = yaml("""
                limits:
                  message-size: 10 mega
                  huge: 99999999999t
                """).section("limits");

        assertThatThrownBy(() -> s.size("message-size", 0)).hasMessage(
                "/srv/mail/smtp.yaml:2:17: limits.message-size: \"10 mega\" is not a size; accepted: a size in bytes,"
                        + " like 65536, 64k, 10m or 1g (k = 1024)");
        assertThatThrownBy(() -> s.size("huge", 0)).hasMessageContaining("\"99999999999t\" is not a size");
    }

    @Test
    void durationsTakeUnits() {
        ConfigSection s = yaml("""
                a: 500ms
                b: 2s
                c: 10m
                d: 1h
                e: 1d
                f: 0
                """);

        assertThat(List.of("a", "b", "c", "d", "e", "f")).map(k -> s.duration(k, Duration.ZERO)).containsExactly(
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofDays(1), Duration.ZERO);
    }

    @Test
    void badDurationsAreLocatedErrors() {
        ConfigSection s = yaml("""
                a: 10
                b: 1.5s
                c: -2s
                """);

        assertThatThrownBy(() -> s.duration("a", Duration.ZERO)).hasMessage(
                "/srv/mail/smtp.yaml:1:4: a: \"10\" has no unit; accepted: a duration like 500ms, 2s, 10m or 1h");
        assertThatThrownBy(() -> s.duration("b", Duration.ZERO)).hasMessage(
                "/srv/mail/smtp.yaml:2:4: b: \"1.5s\" is not a duration; accepted: a duration like 500ms, 2s, 10m or 1h");
        assertThatThrownBy(() -> s.duration("c", Duration.ZERO)).hasMessageContaining("\"-2s\" is not a duration");
    }

    @Test
    void integersAreCheckedAgainstTheirRange() {
        ConfigSection s = yaml("""
                small: 0
                big: 99999999999999999999999
                hex: 0x10
                """);

        assertThatThrownBy(() -> s.integer("small", 1, 1, 10)).isInstanceOf(ConfigException.class).hasMessage(
                "/srv/mail/smtp.yaml:1:8: small: \"0\" is out of range; accepted: a whole number from 1 to 10");
        assertThatThrownBy(() -> s.integer("big", 1, 1, Integer.MAX_VALUE)).hasMessage(
                "/srv/mail/smtp.yaml:2:6: big: \"99999999999999999999999\" is out of range; accepted: a whole number"
                        + " from 1 to 2147483647");
        assertThatThrownBy(() -> s.integer("hex", 1, 1, 100)).hasMessage(
                "/srv/mail/smtp.yaml:3:6: hex: \"0x10\" is not a whole number; accepted: a whole number from 1 to 100");
        assertThatThrownBy(() -> s.integer("small", 0, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void booleansAcceptTrueFalseAndTheirYamlSpellings() {
        ConfigSection s = yaml("""
                a: true
                b: False
                c: off
                d: maybe
                """);

        assertThat(s.bool("a", false)).isTrue();
        assertThat(s.bool("b", true)).isFalse();
        assertThat(s.bool("c", true)).isFalse();
        assertThatThrownBy(() -> s.bool("d", true)).hasMessage(
                "/srv/mail/smtp.yaml:4:4: d: \"maybe\" is not true or false; accepted: true or false");
    }

    @Test
    void scalarAccessorsRejectMappingsAndLists() {
        ConfigSection s = yaml("""
                tls: {cert: cert.pem}
                domains: [a]
                """);

        assertThatThrownBy(() -> s.string("tls")).hasMessage(
                "/srv/mail/smtp.yaml:1:6: tls: found a mapping; accepted: a single value");
        assertThatThrownBy(() -> s.integer("domains", 1, 1, 2)).hasMessage(
                "/srv/mail/smtp.yaml:2:10: domains: found a list; accepted: a whole number from 1 to 2");
    }

    @Test
    void nestedSectionsKeepTheirPathAndLocation() {
        ConfigSection tls = yaml("""
                smtp:
                  tls:
                    cert: certs/cert.pem
                    key: 5
                """).section("smtp").section("tls");

        assertThat(tls.path()).isEqualTo("smtp.tls");
        assertThat(tls.location()).isEqualTo(new Location(FILE, 3, 5));
        assertThat(tls.file("cert")).contains(Path.of("/srv/mail/certs/cert.pem"));
        assertThatThrownBy(() -> tls.section("key")).hasMessage(
                "/srv/mail/smtp.yaml:4:10: smtp.tls.key: found \"5\"; accepted: a mapping of keys to values");
        assertThat(tls.section("absent").path()).isEqualTo("smtp.tls.absent");
        assertThat(tls.section("absent").location()).isEqualTo(tls.location());
    }

    @Test
    void stringsReportsEveryBadItem() {
        ConfigSection s = yaml("""
                allow: [a, {b: c}, [d], ~]
                """);

        assertThatThrownBy(() -> s.strings("allow"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "/srv/mail/smtp.yaml:1:12: allow[1]: found a mapping; accepted: a list of values, like [a, b]",
                        "/srv/mail/smtp.yaml:1:20: allow[2]: found a list; accepted: a list of values, like [a, b]",
                        "/srv/mail/smtp.yaml:1:25: allow[3]: found an empty value; accepted: a list of values, like [a, b]"));
    }

    @Test
    void unknownKeysAreAllReportedWithSuggestionsInTheGivenOrder() {
        ConfigSection s = yaml("""
                hostnme: a
                deliver: maildir
                relay_to: b
                zzz: c
                """);
        Set<String> known = new LinkedHashSet<>(List.of("hostname", "deliver", "relay-to"));

        assertThatThrownBy(() -> s.rejectUnknownKeys(known))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "/srv/mail/smtp.yaml:1:1: hostnme: unknown key; did you mean \"hostname\"? accepted: hostname, deliver, relay-to",
                        "/srv/mail/smtp.yaml:3:1: relay_to: unknown key; did you mean \"relay-to\"? accepted: hostname, deliver, relay-to",
                        "/srv/mail/smtp.yaml:4:1: zzz: unknown key; accepted: hostname, deliver, relay-to"));
    }

    @Test
    void unorderedKnownKeysAreListedSorted() {
        ConfigSection s = yaml("x: 1\n");

        assertThatThrownBy(() -> s.rejectUnknownKeys(Set.of("b", "c", "a")))
                .hasMessage("/srv/mail/smtp.yaml:1:1: x: unknown key; accepted: a, b, c");
    }

    @Test
    void knownKeysPass() {
        yaml("a: 1\nb:\n").rejectUnknownKeys(Set.of("a", "b"));
    }

    @Test
    void errorIsLocatedAtTheValueOrAtTheSection() {
        ConfigSection s = yaml("""
                x: 1
                smtp:
                  deliver: pigeon
                """).section("smtp");

        assertThat(s.error("deliver", "\"pigeon\" is not a delivery mode", "maildir, relay"))
                .hasMessage("/srv/mail/smtp.yaml:3:12: smtp.deliver: \"pigeon\" is not a delivery mode; accepted: maildir, relay");
        assertThat(s.error("relay-to", "missing", "")).hasMessage("/srv/mail/smtp.yaml:3:3: smtp.relay-to: missing");
    }

    @Test
    void emptySectionHasDefaultsEverywhere() {
        ConfigSection s = ConfigSection.empty(Path.of("berth.yaml"), "services[0].http");

        assertThat(s.path()).isEqualTo("services[0].http");
        assertThat(s.location()).hasToString("berth.yaml:1:1");
        assertThat(s.keys()).isEmpty();
        assertThat(s.integer("port", 80, 1, 65535)).isEqualTo(80);
        assertThat(s.error("root", "missing", "a directory")).hasMessage(
                "berth.yaml:1:1: services[0].http.root: missing; accepted: a directory");
    }

    @Test
    void parseYamlOfEmptyTextIsAnEmptySection() {
        assertThat(yaml("").keys()).isEmpty();
        assertThat(yaml("# just a comment\n").keys()).isEmpty();
    }

    @Test
    void parseYamlRejectsAListAndDuplicateKeys() {
        assertThatThrownBy(() -> yaml("- a\n")).hasMessage(
                "/srv/mail/smtp.yaml:1:1: found a list; accepted: a mapping of keys to values");
        assertThatThrownBy(() -> yaml("a:\n  b: 1\n  c: 2\n  b: 3\n")).isInstanceOf(ConfigException.class).hasMessage(
                "/srv/mail/smtp.yaml:4:3: a.b: duplicate key; the first is at /srv/mail/smtp.yaml:2:3;"
                        + " accepted: each key once in a mapping");
    }

    @Test
    void tabsInASectionAreLocated() {
        assertThatThrownBy(() -> yaml("a:\n  b: 1\n\tc: 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/srv/mail/smtp.yaml:3:1: invalid YAML: a tab character");
    }

    @Test
    void quotedValuesKeepTheirText() {
        ConfigSection s = yaml("""
                a: "null"
                b: '007'
                c: "line\\nbreak"
                """);

        assertThat(s.string("a")).contains("null");
        assertThat(s.string("b")).contains("007");
        assertThatThrownBy(() -> s.integer("c", 0, 0, 1)).hasMessageContaining("\"line\\nbreak\" is not a whole number");
    }
}
