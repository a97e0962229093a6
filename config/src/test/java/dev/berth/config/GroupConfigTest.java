package dev.berth.config;

import static dev.berth.config.ConfigErrorsTest.FILE;
import static dev.berth.config.ConfigErrorsTest.KINDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tenant groups read from a file: groups, a service's groups, merged settings, pool instances. */
class GroupConfigTest {

    static final String TWO_TENANTS = """
            groups:
              acme:   {addresses: [10.77.0.1, "2001:DB8:0::1"], user: bt-acme, source-address: enforce}
              globex: {addresses: ["::ffff:10.77.0.2"], loopback: deny, ephemeral-ports: 40000-40999}
            pools:
              mail: {workers: 2, accept: shared}
            services:
              - name: mx
                kind: smtp
                pool: mail
                listen: ["0.0.0.0:2525"]
                smtp: {deliver: maildir, hostname: mx.example, limits: {recipients: 50, errors: 5}}
                groups:
                  acme:   {smtp: {maildir: acme/mail, hostname: mx.acme.test, limits: {errors: 9}}}
                  globex:
                default-group: globex
              - name: web
                kind: http
                pool: mail
                listen: ["0.0.0.0:8080"]
                groups: [acme]
              - {name: plain, kind: echo, pool: mail, listen: ["127.0.0.1:7"]}
            """;

    private static HostConfig load(String yaml) {
        return ConfigLoader.parse(FILE, yaml, KINDS);
    }

    @Test
    void groupsKeepTheirAddressesInCanonicalSpellingAndTheirPolicies() {
        HostConfig config = load(TWO_TENANTS);

        assertThat(config.groups()).extracting(GroupConfig::name).containsExactly("acme", "globex");
        GroupConfig acme = config.group("acme").orElseThrow();
        assertThat(acme.addresses()).containsExactly("10.77.0.1", "2001:db8::1");
        assertThat(acme.user()).contains("bt-acme");
        assertThat(acme.sourceAddress()).isEqualTo(SourceAddressPolicy.ENFORCE);
        assertThat(acme.loopback()).isEqualTo(LoopbackPolicy.OWN);
        assertThat(acme.ephemeralPorts()).isEmpty();
        GroupConfig globex = config.group("globex").orElseThrow();
        assertThat(globex.addresses()).containsExactly("10.77.0.2");
        assertThat(globex.user()).isEmpty();
        assertThat(globex.sourceAddress()).isEqualTo(SourceAddressPolicy.PREFER);
        assertThat(globex.loopback()).isEqualTo(LoopbackPolicy.DENY);
        assertThat(globex.ephemeralPorts()).contains(new PortRange(40000, 40999));
    }

    @Test
    void groupOverridesMergeOverTheKindsSectionMapsMergingAndScalarsReplacing() {
        ServiceConfig mx = load(TWO_TENANTS).services().getFirst();

        ConfigSection acme = mx.group("acme").orElseThrow().settings();
        assertThat(acme.string("deliver")).contains("maildir");
        assertThat(acme.string("hostname")).contains("mx.acme.test");
        assertThat(acme.string("maildir")).contains("acme/mail");
        assertThat(acme.section("limits").integer("recipients", 0, 0, 1000)).isEqualTo(50);
        assertThat(acme.section("limits").integer("errors", 0, 0, 1000)).isEqualTo(9);
        assertThat(acme.path()).isEqualTo("services[0].groups.acme.smtp");
        ConfigSection globex = mx.group("globex").orElseThrow().settings();
        assertThat(globex).isEqualTo(mx.settings());
        assertThat(mx.defaultGroup()).contains("globex");
    }

    @Test
    void mergedValuesKeepTheLocationTheyWereWrittenAt() {
        ConfigSection acme = load(TWO_TENANTS).services().getFirst().group("acme").orElseThrow().settings();

        assertThat(acme.error("maildir", "bad", "").getMessage()).startsWith("berth.yaml:13:32: ");
        assertThat(acme.error("deliver", "bad", "").getMessage()).startsWith("berth.yaml:11:21: ");
    }

    @Test
    void anEmptyOverrideValueRemovesTheKey() {
        HostConfig config = load("""
                groups:
                  acme: {addresses: [10.77.0.1]}
                services:
                  - name: web
                    kind: http
                    listen: ["0.0.0.0:8080"]
                    http: {root: www, response: hello}
                    groups: {acme: {http: {root: ~}}}
                """);

        ConfigSection acme = config.services().getFirst().group("acme").orElseThrow().settings();
        assertThat(acme.has("root")).isFalse();
        assertThat(acme.string("response")).contains("hello");
    }

    @Test
    void aListOfGroupsGivesEachTheServicesOwnSettings() {
        ServiceConfig web = load(TWO_TENANTS).services().get(1);

        assertThat(web.groups()).extracting(ServiceGroup::name).containsExactly("acme");
        assertThat(web.group("acme").orElseThrow().settings()).isEqualTo(web.settings());
        assertThat(web.defaultGroup()).isEmpty();
    }

    @Test
    void eachPoolHasOneHandoffInstancePerGroupItsServicesName() {
        HostConfig config = load(TWO_TENANTS);

        assertThat(config.instances()).extracting(PoolConfig::name).containsExactly("mail", "mail@acme", "mail@globex");
        PoolConfig acme = config.pool("mail@acme").orElseThrow();
        assertThat(acme.accept()).isEqualTo(AcceptStrategy.HANDOFF);
        assertThat(acme.workers()).isEqualTo(config.pool("mail").orElseThrow().workers());
        assertThat(acme.base()).isEqualTo("mail");
        assertThat(acme.group()).contains("acme");
        assertThat(config.pool("mail").orElseThrow().group()).isEmpty();
        assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("mail");
    }

    @Test
    void aPoolServesItsServicesWithoutGroupsAndEachInstanceItsGroupsServices() {
        HostConfig config = load(TWO_TENANTS);

        assertThat(config.servicesOf("mail")).extracting(ServiceConfig::name).containsExactly("plain");
        assertThat(config.servicesOf("mail@acme")).extracting(ServiceConfig::name).containsExactly("mx", "web");
        assertThat(config.servicesOf("mail@globex")).extracting(ServiceConfig::name).containsExactly("mx");
        assertThat(config.groupedServicesOf("mail")).extracting(ServiceConfig::name).containsExactly("mx", "web");
        assertThat(ServiceConfig.instanceKey("mx", Optional.of("acme"))).isEqualTo("mx@acme");
        assertThat(ServiceConfig.instanceKey("mx", Optional.empty())).isEqualTo("mx");
    }

    @Test
    void defaultGroupNoneMeansRefusal() {
        HostConfig config = load("""
                groups: {acme: {addresses: [10.77.0.1]}}
                services:
                  - {name: web, kind: http, listen: ["0.0.0.0:8080"], groups: [acme], default-group: none}
                """);

        assertThat(config.services().getFirst().defaultGroup()).isEmpty();
    }

    @Test
    void unknownUsersAreNamedAtTheirPlaceInTheFile() {
        HostConfig config = load(TWO_TENANTS);

        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> config.requireUsers(user -> false)).problems()).containsExactly(
                "berth.yaml:2:59: groups.acme.user: \"bt-acme\" is not a user on this host; accepted: a user in /etc/passwd");
        config.requireUsers(List.of("bt-acme")::contains);
    }
}
