package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigErrorsTest {

    static final Path FILE = Path.of("berth.yaml");
    static final Set<String> KINDS = Set.of("echo", "http", "smtp", "pop3-proxy");
    static final String SERVICE = """
            services:
              - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
            """;

    static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(FILE, yaml, KINDS));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosestOne() {
        assertThat(problems("""
                master: {}
                service: []
                """)).containsExactly(
                "berth.yaml:1:1: services: missing; accepted: a list of services, each a mapping with name, kind and listen",
                "berth.yaml:2:1: service: unknown key; did you mean \"services\"? accepted: master, pools, services, scanners, groups, mesh");
    }

    @Test
    void emptyFileIsAnError() {
        assertThat(problems("# nothing yet\n")).containsExactly(
                "berth.yaml:1:1: the file has no settings; accepted: a mapping with the keys master, pools, services, scanners, groups, mesh");
    }

    @Test
    void fileThatIsAListIsAnError() {
        assertThat(problems("- echo\n")).containsExactly(
                "berth.yaml:1:1: found a list; accepted: a mapping with the keys master, pools, services, scanners, groups, mesh");
    }

    @Test
    void emptyServicesListIsAnError() {
        assertThat(problems("services: []\n")).containsExactly(
                "berth.yaml:1:11: services: found an empty list; accepted: a list of services, each a mapping with name, kind and listen");
    }

    @Test
    void unknownMasterKeySuggestsTheClosestOne() {
        assertThat(problems("""
                master:
                  run-dir: run
                  usr: nobody
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:3: master.usr: unknown key; did you mean \"user\"? accepted: run-dir, log-dir, user, admin, log-format");
    }

    @Test
    void userMustLookLikeAUserName() {
        assertThat(problems("""
                master:
                  user: "bad user"
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:9: master.user: \"bad user\" is not a user name; accepted: a user name or numeric id, like nobody or 65534");
    }

    @Test
    void problemsFromEverySectionAreReportedInFileOrder() {
        assertThat(problems("""
                services:
                  - {name: echo, kind: echo, pool: web, listen: ["127.0.0.1:7"], extra: 1}
                pools:
                  web: {threads: 100}
                master: {log: x}
                """)).containsExactly(
                "berth.yaml:2:66: services[0].extra: unknown key; accepted: name, kind, pool, listen, groups, default-group, mesh-group, echo",
                "berth.yaml:4:18: pools.web.threads: \"100\" is out of range; accepted: a whole number from 1 to 64",
                "berth.yaml:5:10: master.log: unknown key; accepted: run-dir, log-dir, user, admin, log-format");
    }

    @Test
    void duplicateKeysAreReportedAlongWithOtherProblems() {
        assertThat(problems("""
                pools:
                  web:
                    threads: 2
                    threads: 3
                services:
                  - {name: echo, kind: ecoh, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:4:5: pools.web.threads: duplicate key; the first is at berth.yaml:3:5; accepted: each key"
                        + " once in a mapping",
                "berth.yaml:6:24: services[0].kind: \"ecoh\" is not a known kind; did you mean \"echo\"? accepted:"
                        + " echo, http, pop3-proxy, smtp");
    }

    @Test
    void invalidYamlIsALocatedConfigException() {
        assertThat(problems("""
                services:
                  - name: a: b
                """)).containsExactly(
                "berth.yaml:2:12: invalid YAML: mapping values are not allowed here; accepted: well-formed YAML, with"
                        + " quotes around values that start with [, {, *, & or !, like \"[::1]:8080\" or \"*:8080\"");
    }

    @Test
    void tabsAreReportedWhereTheyAre() {
        assertThat(problems("services:\n\t- name: a\n")).containsExactly(
                "berth.yaml:2:1: invalid YAML: a tab character where YAML allows none; accepted: spaces for"
                        + " indentation and between tokens");
    }

    @Test
    void unquotedStarAddressIsExplained() {
        assertThat(problems("""
                services:
                  - {name: a, kind: echo, listen: [*:80]}
                """)).singleElement().asString()
                .startsWith("berth.yaml:2:")
                .contains("invalid YAML: ")
                .endsWith("quotes around values that start with [, {, *, & or !, like \"[::1]:8080\" or \"*:8080\"");
    }

    @Test
    void yamlAliasesAreRejected() {
        assertThat(problems("""
                master:
                  user: &u nobody
                services:
                  - {name: a, kind: echo, listen: ["127.0.0.1:7"]}
                  - {name: *u, kind: echo, listen: ["127.0.0.1:8"]}
                """)).containsExactly(
                "berth.yaml:5:12: services[1].name: *u is a YAML alias, which berth does not support; accepted: values"
                        + " without aliases; put quotes around a value that starts with *, like \"*:8080\"");
    }

    @Test
    void secondYamlDocumentIsRejected() {
        assertThat(problems(SERVICE + "---\nmaster: {}\n")).containsExactly(
                "berth.yaml:4:1: a second YAML document; accepted: one document per file");
    }

    @Test
    void deeplyNestedYamlIsRejected() {
        assertThat(problems("a: " + "[".repeat(70) + "]".repeat(70) + "\n")).singleElement().asString()
                .startsWith("berth.yaml:1:")
                .endsWith("nested more than 64 levels deep; accepted: a shallower structure");
    }
}
