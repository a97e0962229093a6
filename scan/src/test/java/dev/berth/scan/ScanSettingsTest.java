package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanSettingsTest {

    private static final Path FILE = Path.of("/etc/berth/berth.yaml");

    private static ScanSettings parse(String yaml) {
        ConfigSection root = ConfigSection.parseYaml(FILE, yaml);
        return ScanSettings.parse(root.section("scanners"), root.section("smtp"), "scan");
    }

    @Test
    void everyKindIsReadInChainOrder() {
        ScanSettings settings = parse("""
                scanners:
                  sig: {kind: signatures, patterns: ["secret-[0-9]+"], timeout: 2s}
                  clamav: {kind: clamd, address: "unix:run/clamd.sock", timeout: 5s, on-unavailable: accept, on-too-large: tempfail}
                  tcp: {kind: clamd}
                  spam: {kind: rspamd, url: "http://127.0.0.1:11333", reject-score: 12.5, tag-score: 4, on-unavailable: accept}
                smtp:
                  scan: [spam, sig, clamav, tcp]
                """);

        assertThat(settings.scanners()).containsExactly(
                new RspamdSettings("spam", URI.create("http://127.0.0.1:11333"), 12.5, 4, Duration.ofSeconds(30), UnavailablePolicy.ACCEPT),
                new SignaturesSettings("sig", List.of("secret-[0-9]+"), Duration.ofSeconds(2)),
                new ClamdSettings("clamav", new ClamdAddress.Unix(Path.of("/etc/berth/run/clamd.sock")), Duration.ofSeconds(5),
                        UnavailablePolicy.ACCEPT, UnavailablePolicy.TEMPFAIL),
                new ClamdSettings("tcp", new ClamdAddress.Tcp("127.0.0.1", 3310), Duration.ofSeconds(30),
                        UnavailablePolicy.TEMPFAIL, UnavailablePolicy.TEMPFAIL));
    }

    @Test
    void clamdAddressesAreReadWithoutLookingThemUp() {
        Path base = Path.of("/etc/berth");
        assertThat(ClamdAddress.parse("[::1]:3310", base)).isEqualTo(new ClamdAddress.Tcp("::1", 3310));
        assertThat(ClamdAddress.parse("clamav.internal:3310", base)).isEqualTo(new ClamdAddress.Tcp("clamav.internal", 3310));
        assertThat(ClamdAddress.parse("unix:/run/clamav/clamd.ctl", base)).isEqualTo(new ClamdAddress.Unix(Path.of("/run/clamav/clamd.ctl")));
        assertThat(new ClamdAddress.Tcp("::1", 3310)).hasToString("[::1]:3310");
        for (String bad : List.of("127.0.0.1", "127.0.0.1:", ":3310", "127.0.0.1:99999", "127.0.0.1:x", "unix:")) {
            assertThatThrownBy(() -> ClamdAddress.parse(bad, base)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void absentKeyIsAnEmptyChain() {
        ScanSettings settings = parse("""
                scanners:
                  sig: {kind: signatures}
                smtp: {hostname: x}
                """);
        assertThat(settings).isEqualTo(ScanSettings.NONE);
        try (ScanChain chain = settings.newChain()) {
            assertThat(chain.isEmpty()).isTrue();
        }
    }

    @Test
    void unknownScannerNameIsALocatedErrorListingTheDefinedOnes() {
        assertThatThrownBy(() -> parse("""
                scanners:
                  sig: {kind: signatures}
                  clamav: {kind: clamd}
                smtp:
                  scan: [sig, clamv]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/berth/berth.yaml:5:9: smtp.scan: \"clamv\" is not a scanner defined under scanners; "
                        + "did you mean \"clamav\"? accepted: a scanner defined under scanners: (sig, clamav)");
    }

    @Test
    void badRegexIsALocatedError() {
        assertThatThrownBy(() -> parse("""
                scanners:
                  sig:
                    kind: signatures
                    patterns: ["ok", "bad(["]
                smtp:
                  scan: [sig]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/berth/berth.yaml:4:15: scanners.sig.patterns: item 1 \"bad([\" is not a valid regular expression (")
                .hasMessageEndingWith("; accepted: Java regular expressions");
    }

    @Test
    void unknownKeysAndKindsAndValuesAreLocated() {
        assertThatThrownBy(() -> parse("""
                scanners:
                  av: {kind: clamd, adress: "127.0.0.1:3310"}
                smtp: {scan: [av]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("berth.yaml:2:21: scanners.av.adress: unknown key");
        assertThatThrownBy(() -> parse("""
                scanners:
                  av: {kind: clam}
                smtp: {scan: [av]}
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("/etc/berth/berth.yaml:2:14: scanners.av.kind: \"clam\" is not a scanner kind; accepted: signatures, clamd, rspamd");
        assertThatThrownBy(() -> parse("""
                scanners:
                  av: {kind: clamd, address: "::1:3310"}
                smtp: {scan: [av]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("needs brackets");
        assertThatThrownBy(() -> parse("""
                scanners:
                  av: {kind: clamd, on-unavailable: ignore}
                smtp: {scan: [av]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("\"ignore\" is not a policy; accepted: tempfail, accept");
        assertThatThrownBy(() -> parse("""
                scanners:
                  spam: {kind: rspamd, reject-score: 5, tag-score: 8}
                smtp: {scan: [spam]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("scanners.spam.tag-score");
        assertThatThrownBy(() -> parse("""
                scanners:
                  spam: {kind: rspamd, url: "ftp://x"}
                smtp: {scan: [spam]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("is not an http URL");
        assertThatThrownBy(() -> parse("""
                scanners:
                  sig: {kind: signatures}
                smtp: {scan: [sig, sig]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("\"sig\" is listed twice");
    }

    @Test
    void unusedDefinitionsAreCheckedOnRequest() {
        ConfigSection root = ConfigSection.parseYaml(FILE, """
                scanners:
                  sig: {kind: signatures}
                  spare: {kind: clamd, timeout: 2s}
                """);
        assertThat(ScanSettings.parseDefinitions(root.section("scanners"))).extracting(ScannerSettings::name).containsExactly("sig", "spare");
        ConfigSection bad = ConfigSection.parseYaml(FILE, """
                scanners:
                  sig: {kind: signatures}
                  spare: {kind: clamd, timeout: soon}
                """);
        assertThatThrownBy(() -> ScanSettings.parseDefinitions(bad.section("scanners")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(":3:33: scanners.spare.timeout: \"soon\"");
        assertThat(ScanSettings.parseDefinitions(ConfigSection.empty(FILE, "scanners"))).isEmpty();
    }

    @Test
    void virusActionIsParsed() {
        ConfigSection smtp = ConfigSection.parseYaml(FILE, "on-virus: Quarantine\nbad: drop\n");
        assertThat(VirusAction.parse(smtp, "on-virus", VirusAction.REJECT)).isEqualTo(VirusAction.QUARANTINE);
        assertThat(VirusAction.parse(smtp, "absent", VirusAction.TAG)).isEqualTo(VirusAction.TAG);
        assertThatThrownBy(() -> VirusAction.parse(smtp, "bad", VirusAction.REJECT))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/berth/berth.yaml:2:6: bad: \"drop\" is not a virus action; accepted: reject, quarantine, tag");
    }
}
