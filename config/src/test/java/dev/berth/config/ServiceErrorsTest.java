package dev.berth.config;

import static dev.berth.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Problems in the {@code services} list, each with its exact location. */
class ServiceErrorsTest {

    static final String LISTEN_ACCEPTED = "accepted: a numeric address and a port, like 127.0.0.1:8080, [::1]:8080"
            + " or *:8080 (* = 0.0.0.0; port 0 to 65535, 0 = any free port)";

    @Test
    void requiredServiceKeysAreReportedAtTheEntry() {
        assertThat(problems("""
                services:
                  - pool: default
                """)).containsExactly(
                "berth.yaml:2:5: services[0].name: missing; accepted: lower-case letters, digits and '-', starting"
                        + " with a letter or digit, like smtp-1",
                "berth.yaml:2:5: services[0].kind: missing; accepted: echo, http, pop3-proxy, smtp",
                "berth.yaml:2:5: services[0].listen: missing; accepted: a list of addresses, like"
                        + " [127.0.0.1:8080, \"[::1]:8080\", \"*:8080\"]");
    }

    @Test
    void serviceEntryThatIsNotAMappingIsAnError() {
        assertThat(problems("""
                services:
                  - echo
                """)).containsExactly(
                "berth.yaml:2:5: services[0]: found \"echo\"; accepted: a mapping with name, kind and listen");
    }

    @Test
    void aServiceInAPoolWithAnInvalidNameGetsLocatedProblemsNotAnException() {
        // found by ConfigFuzzTest: a zero-width no-break space inside the pool name
        assertThat(problems("""
                pools:
                  we\uFEFFb: {workers: 1}
                services:
                  - {name: web, kind: http, pool: "we\uFEFFb", listen: ["127.0.0.1:0"]}
                """)).allMatch(p -> p.startsWith("berth.yaml:")).anyMatch(p -> p.startsWith("berth.yaml:4:")
                        && p.contains("services[0].pool: \"we\uFEFFb\" is not a valid pool name"));
    }

    @Test
    void invalidServiceNameIsAnError() {
        assertThat(problems("""
                services:
                  - {name: Echo_1, kind: echo, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:2:12: services[0].name: \"Echo_1\" is not a valid service name; accepted: lower-case"
                        + " letters, digits and '-', starting with a letter or digit, like smtp-1");
    }

    @Test
    void duplicateServiceNameNamesTheFirstOne() {
        assertThat(problems("""
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                  - name: echo
                    kind: echo
                    listen: ["127.0.0.1:8"]
                """)).containsExactly(
                "berth.yaml:3:11: services[1].name: \"echo\" is already the name of services[0] at berth.yaml:2:12;"
                        + " accepted: a name used once in the file");
    }

    @Test
    void unknownKindSuggestsTheClosestOne() {
        assertThat(problems("""
                services:
                  - name: mail
                    kind: smpt
                    listen: ["127.0.0.1:25"]
                  - name: other
                    kind: gopher
                    listen: ["127.0.0.1:70"]
                """)).containsExactly(
                "berth.yaml:3:11: services[0].kind: \"smpt\" is not a known kind; did you mean \"smtp\"?"
                        + " accepted: echo, http, pop3-proxy, smtp",
                "berth.yaml:6:11: services[1].kind: \"gopher\" is not a known kind; accepted: echo, http, pop3-proxy, smtp");
    }

    @Test
    void unknownPoolSuggestsTheClosestOne() {
        assertThat(problems("""
                pools:
                  web: {}
                services:
                  - {name: echo, kind: echo, pool: wbe, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:4:36: services[0].pool: \"wbe\" is not a pool; did you mean \"web\"? accepted: web, default");
    }

    @Test
    void sectionOfAnotherKindIsAnUnknownKey() {
        assertThat(problems("""
                services:
                  - name: echo
                    kind: echo
                    listen: ["127.0.0.1:7"]
                    ehco: {}
                    http: {}
                """)).containsExactly(
                "berth.yaml:5:5: services[0].ehco: unknown key; did you mean \"echo\"? accepted: name, kind, pool, listen, groups, default-group, mesh-group, echo",
                "berth.yaml:6:5: services[0].http: unknown key; accepted: name, kind, pool, listen, groups, default-group, mesh-group, echo");
    }

    @Test
    void kindSectionMustBeAMapping() {
        assertThat(problems("""
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"], echo: [1]}
                """)).containsExactly(
                "berth.yaml:2:61: services[0].echo: found a list; accepted: a mapping of keys to values");
    }

    @Test
    void emptyOrScalarListenIsAnError() {
        assertThat(problems("""
                services:
                  - {name: a, kind: echo, listen: []}
                  - {name: b, kind: echo, listen: "127.0.0.1:7"}
                """)).containsExactly(
                "berth.yaml:2:35: services[0].listen: found an empty list; accepted: a list of addresses, like"
                        + " [127.0.0.1:8080, \"[::1]:8080\", \"*:8080\"]",
                "berth.yaml:3:35: services[1].listen: found \"127.0.0.1:7\"; accepted: a list of addresses, like"
                        + " [127.0.0.1:8080, \"[::1]:8080\", \"*:8080\"]");
    }

    @Test
    void everyBadListenAddressIsReportedAtItsItem() {
        assertThat(problems("""
                services:
                  - name: echo
                    kind: echo
                    listen:
                      - localhost:80
                      - 127.0.0.1
                      - "::1:80"
                      - 1.2.3.4:99999
                      - "[::1]:x"
                """)).containsExactly(
                "berth.yaml:5:9: services[0].listen[0]: \"localhost:80\": host \"localhost\" is not a numeric IPv4 or"
                        + " IPv6 address (names are not resolved); " + LISTEN_ACCEPTED,
                "berth.yaml:6:9: services[0].listen[1]: \"127.0.0.1\" has no port; " + LISTEN_ACCEPTED,
                "berth.yaml:7:9: services[0].listen[2]: \"::1:80\" needs brackets around the IPv6 address, like"
                        + " [::1]:8080; " + LISTEN_ACCEPTED,
                "berth.yaml:8:9: services[0].listen[3]: \"1.2.3.4:99999\" has port 99999, which is out of range"
                        + " (0 to 65535); " + LISTEN_ACCEPTED,
                "berth.yaml:9:9: services[0].listen[4]: \"[::1]:x\" has port \"x\", which is not a number from 0"
                        + " to 65535; " + LISTEN_ACCEPTED);
    }

    @Test
    void sameListenAddressTwiceInTheFileIsAnError() {
        assertThat(problems("""
                services:
                  - {name: a, kind: echo, listen: ["127.0.0.1:80", "[::1]:80"]}
                  - {name: b, kind: http, listen: ["127.0.0.1:80", "[0:0::1]:80", "*:81", "0.0.0.0:81"]}
                """)).containsExactly(
                "berth.yaml:3:36: services[1].listen[0]: \"127.0.0.1:80\" is already used by services[0].listen[0]"
                        + " at berth.yaml:2:36; accepted: each address once in the whole file (port 0 may repeat)",
                "berth.yaml:3:52: services[1].listen[1]: \"[0:0::1]:80\" is already used by services[0].listen[1]"
                        + " at berth.yaml:2:52; accepted: each address once in the whole file (port 0 may repeat)",
                "berth.yaml:3:75: services[1].listen[3]: \"0.0.0.0:81\" is already used by services[1].listen[2]"
                        + " at berth.yaml:3:67; accepted: each address once in the whole file (port 0 may repeat)");
    }
}
