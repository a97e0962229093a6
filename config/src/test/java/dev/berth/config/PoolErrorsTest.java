package dev.berth.config;

import static dev.berth.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Problems in the {@code pools} section, each with its exact location. */
class PoolErrorsTest {

    static final String SERVICE = ConfigErrorsTest.SERVICE;

    @Test
    void threadsOutOfRangeNamesTheValueAndTheRange() {
        assertThat(problems("""
                master:
                  user: nobody
                pools:
                  other: {}
                  web:
                    workers: 2
                    threads: 0
                """ + SERVICE)).containsExactly(
                "berth.yaml:7:14: pools.web.threads: \"0\" is out of range; accepted: a whole number from 1 to 64");
    }

    @Test
    void threadsThatAreNotANumberAreAnError() {
        assertThat(problems("""
                pools:
                  web: {threads: two}
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:18: pools.web.threads: \"two\" is not a whole number; accepted: a whole number from 1 to 64");
    }

    @Test
    void unknownPoolKeySuggestsTheClosestOne() {
        assertThat(problems("""
                pools:
                  web:
                    wrokers: 3
                    hang-timout: 1s
                    colour: blue
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:5: pools.web.wrokers: unknown key; did you mean \"workers\"? accepted: workers, threads,"
                        + " accept, max-requests, hang-timeout, drain-timeout, jvm-options, spare-workers",
                "berth.yaml:4:5: pools.web.hang-timout: unknown key; did you mean \"hang-timeout\"? accepted: workers,"
                        + " threads, accept, max-requests, hang-timeout, drain-timeout, jvm-options, spare-workers",
                "berth.yaml:5:5: pools.web.colour: unknown key; accepted: workers, threads, accept, max-requests,"
                        + " hang-timeout, drain-timeout, jvm-options, spare-workers");
    }

    @Test
    void invalidPoolNameIsLocatedAtTheKey() {
        assertThat(problems("""
                pools:
                  Web: {}
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:3: pools.Web: \"Web\" is not a valid pool name; accepted: lower-case letters, digits"
                        + " and '-', starting with a letter or digit, like smtp-1");
    }

    @Test
    void poolThatIsNotAMappingIsAnError() {
        assertThat(problems("""
                pools:
                  web: 3
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:8: pools.web: found \"3\"; accepted: a mapping of keys to values");
    }

    @Test
    void workerCountOutOfRangeIsAnError() {
        assertThat(problems("""
                pools:
                  web: {workers: 300}
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:18: pools.web.workers: \"300\" is out of range; accepted: a whole number from 1 to 256");
    }

    @Test
    void workerRangeOutOfOrderIsAnError() {
        assertThat(problems("""
                pools:
                  web:
                    workers: {min: 4, max: 2}
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:14: pools.web.workers: min 4, start 4 and max 2 are out of order; accepted:"
                        + " 1 <= min <= start <= max <= 256; start defaults to min, max to start");
    }

    @Test
    void workerRangeReportsEachBadKey() {
        assertThat(problems("""
                pools:
                  web:
                    workers: {min: 0, maxi: 3}
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:20: pools.web.workers.min: \"0\" is out of range; accepted: a whole number from 1 to 256",
                "berth.yaml:3:23: pools.web.workers.maxi: unknown key; did you mean \"max\"? accepted: min, max, start");
    }

    @Test
    void workersAsAListIsAnError() {
        assertThat(problems("""
                pools:
                  web: {workers: [1, 2]}
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:18: pools.web.workers: found a list; accepted: a number of workers from 1 to 256,"
                        + " or {min, max, start} with 1 <= min <= start <= max <= 256");
    }

    @Test
    void everyAcceptStrategyOfTheDesignIsAccepted() {
        for (AcceptStrategy accept : AcceptStrategy.values()) {
            HostConfig config = ConfigLoader.parse(ConfigErrorsTest.FILE, """
                    pools:
                      web: {accept: %s}
                    """.formatted(accept.configName()) + SERVICE, ConfigErrorsTest.KINDS);
            assertThat(config.pool("web").orElseThrow().accept()).isEqualTo(accept);
        }
        assertThat(AcceptStrategy.values()).extracting(AcceptStrategy::configName)
                .containsExactly("shared", "mutex", "reuseport", "handoff");
    }

    @Test
    void misspelledAcceptStrategySuggestsTheClosestOne() {
        assertThat(problems("""
                pools:
                  web: {accept: shraed}
                """ + SERVICE)).containsExactly(
                "berth.yaml:2:17: pools.web.accept: \"shraed\" is not an accept strategy; did you mean \"shared\"?"
                        + " accepted: shared, mutex, reuseport, handoff");
    }

    @Test
    void durationsAndCountsAreCheckedAgainstTheirRanges() {
        assertThat(problems("""
                pools:
                  web:
                    hang-timeout: 0s
                    drain-timeout: 2
                    max-requests: -1
                    spare-workers: 9
                  db:
                    drain-timeout: soon
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:19: pools.web.hang-timeout: \"0s\" is out of range; accepted: a duration of at least 1ms,"
                        + " like 500ms, 2s, 10m or 1h",
                "berth.yaml:4:20: pools.web.drain-timeout: \"2\" has no unit; accepted: a duration like 500ms, 2s, 10m or 1h",
                "berth.yaml:5:19: pools.web.max-requests: \"-1\" is out of range; accepted: a whole number of at least 0",
                "berth.yaml:6:20: pools.web.spare-workers: \"9\" is out of range; accepted: a whole number from 0 to 8",
                "berth.yaml:8:20: pools.db.drain-timeout: \"soon\" is not a duration; accepted: a duration like 500ms,"
                        + " 2s, 10m or 1h");
    }

    @Test
    void jvmOptionsMustBeAList() {
        assertThat(problems("""
                pools:
                  web:
                    jvm-options: -Xmx64m
                  db:
                    jvm-options: [-Xmx64m, [a]]
                """ + SERVICE)).containsExactly(
                "berth.yaml:3:18: pools.web.jvm-options: found \"-Xmx64m\"; accepted: a list of values, like [a, b]",
                "berth.yaml:5:28: pools.db.jvm-options[1]: found a list; accepted: a list of values, like [a, b]");
    }
}
