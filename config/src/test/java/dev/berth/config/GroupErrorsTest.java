package dev.berth.config;

import static dev.berth.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Problems with tenant groups, each with its exact location. */
class GroupErrorsTest {

    @Test
    void anAddressClaimedByTwoGroupsNamesTheFirstClaim() {
        assertThat(problems("""
                groups:
                  acme: {addresses: [10.77.0.1]}
                  globex: {addresses: ["::ffff:10.77.0.1"]}
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:3:24: groups.globex.addresses[0]: \"::ffff:10.77.0.1\" is already claimed by"
                        + " groups.acme.addresses[0] at berth.yaml:2:22; accepted: each address owned by one group");
    }

    @Test
    void aGroupWithoutAddressesIsAnError() {
        assertThat(problems("""
                groups:
                  acme: {user: nobody}
                  globex: {addresses: []}
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:2:9: groups.acme.addresses: missing: a group without addresses receives nothing;"
                        + " accepted: a list of numeric addresses the group owns, like [10.77.0.1, \"2001:db8::1\"]",
                "berth.yaml:3:23: groups.globex.addresses: found an empty list: a group without addresses receives"
                        + " nothing; accepted: a list of numeric addresses the group owns, like [10.77.0.1, \"2001:db8::1\"]");
    }

    @Test
    void wildcardMulticastAndNamedAddressesAreRefused() {
        assertThat(problems("""
                groups:
                  acme: {addresses: [0.0.0.0, "ff02::1", mail.acme.test, "10.0.0.1:25"]}
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """)).extracting(p -> p.substring(0, p.indexOf(';'))).containsExactly(
                "berth.yaml:2:22: groups.acme.addresses[0]: \"0.0.0.0\" is not a unicast address",
                "berth.yaml:2:31: groups.acme.addresses[1]: \"ff02::1\" is not a unicast address",
                "berth.yaml:2:42: groups.acme.addresses[2]: \"mail.acme.test\" is not a unicast address",
                "berth.yaml:2:58: groups.acme.addresses[3]: \"10.0.0.1:25\" is not a unicast address");
    }

    @Test
    void badPoliciesUsersAndPortRangesAreNamed() {
        assertThat(problems("""
                groups:
                  acme:
                    addresses: [10.77.0.1]
                    user: "bad user"
                    source-address: enforced
                    loopback: none
                    ephemeral-ports: 5000-4000
                    adresses: []
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:4:11: groups.acme.user: \"bad user\" is not a user name; accepted: a user name or numeric"
                        + " id, like nobody or 65534",
                "berth.yaml:5:21: groups.acme.source-address: \"enforced\" is not a source-address policy; did you"
                        + " mean \"enforce\"? accepted: enforce, prefer",
                "berth.yaml:6:15: groups.acme.loopback: \"none\" is not a loopback policy; accepted: own, deny, any",
                "berth.yaml:7:22: groups.acme.ephemeral-ports: \"5000-4000\" is not a port range; accepted: a port"
                        + " range like 40000-40999 (1 to 65535, low-high)",
                "berth.yaml:8:5: groups.acme.adresses: unknown key; did you mean \"addresses\"? accepted: addresses,"
                        + " user, source-address, loopback, ephemeral-ports");
    }

    @Test
    void aGroupCalledNoneIsReserved() {
        assertThat(problems("""
                groups:
                  none: {addresses: [10.77.0.1]}
                services:
                  - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
                """)).containsExactly(
                "berth.yaml:2:3: groups.none: \"none\" is reserved: default-group: none means no default group;"
                        + " accepted: any other name");
    }

    @Test
    void aServiceNamingAnUndefinedGroupGetsASuggestion() {
        assertThat(problems("""
                groups:
                  acme: {addresses: [10.77.0.1]}
                  globex: {addresses: [10.77.0.2]}
                services:
                  - {name: web, kind: http, listen: ["0.0.0.0:80"], groups: [acme, globx, acme]}
                  - name: mx
                    kind: smtp
                    listen: ["0.0.0.0:25"]
                    groups:
                      initech: {}
                """)).containsExactly(
                "berth.yaml:5:68: services[0].groups[1]: \"globx\" is not a group; did you mean \"globex\"?"
                        + " accepted: acme, globex",
                "berth.yaml:5:75: services[0].groups[2]: \"acme\" is listed twice; accepted: each group once",
                "berth.yaml:10:7: services[1].groups.initech: \"initech\" is not a group; accepted: acme, globex");
    }

    @Test
    void overridesMayOnlyHoldTheKindsSection() {
        assertThat(problems("""
                groups:
                  acme: {addresses: [10.77.0.1]}
                services:
                  - name: web
                    kind: http
                    listen: ["0.0.0.0:80"]
                    groups: {acme: {pool: other, smtp: {}}}
                """)).containsExactly(
                "berth.yaml:7:21: services[0].groups.acme.pool: unknown key; accepted: http",
                "berth.yaml:7:34: services[0].groups.acme.smtp: unknown key; accepted: http");
    }

    @Test
    void aDefaultGroupMustBeOneOfTheServicesGroups() {
        assertThat(problems("""
                groups:
                  acme: {addresses: [10.77.0.1]}
                  globex: {addresses: [10.77.0.2]}
                services:
                  - {name: web, kind: http, listen: ["0.0.0.0:80"], groups: [acme], default-group: globex}
                  - {name: echo, kind: echo, listen: ["0.0.0.0:7"], default-group: acme}
                """)).containsExactly(
                "berth.yaml:5:84: services[0].default-group: \"globex\" is not one of the service's groups;"
                        + " accepted: acme, none",
                "berth.yaml:6:68: services[1].default-group: a service without groups has no default group;"
                        + " accepted: groups: [...] beside it, or no default-group");
    }

    @Test
    void emptyOrScalarGroupsAreErrors() {
        assertThat(problems("""
                services:
                  - {name: web, kind: http, listen: ["0.0.0.0:80"], groups: []}
                  - {name: echo, kind: echo, listen: ["0.0.0.0:7"], groups: acme}
                """)).extracting(p -> p.substring(0, p.indexOf(';'))).containsExactly(
                "berth.yaml:2:61: services[0].groups: found an empty list",
                "berth.yaml:3:61: services[1].groups: found \"acme\"");
    }
}
