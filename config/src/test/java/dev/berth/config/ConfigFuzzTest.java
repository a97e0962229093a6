package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the config reader with any text. Holds that the text is either a config or a
 * {@link ConfigException}, nothing else, and that every problem names {@code berth.yaml:line:col}
 * inside the text (line 1 to one past the last, column from 1) followed by the key and what is
 * wrong. Seeds: {@code ConfigFuzzTestInputs/}, the shapes of the example configs.
 */
class ConfigFuzzTest {

    private static final Path FILE = Path.of("berth.yaml");
    private static final Set<String> KINDS = Set.of("echo", "http", "smtp", "pop3", "pop3-proxy", "imap-proxy");
    private static final Pattern LOCATED = Pattern.compile("berth\\.yaml:([0-9]+):([0-9]+): \\S.*", Pattern.DOTALL);

    @FuzzTest
    void anyTextIsAConfigOrProblemsAtFileLineColumn(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        long lines = text.lines().count();
        try {
            ConfigLoader.parse(FILE, text, KINDS);
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            for (String problem : e.problems()) {
                Matcher at = LOCATED.matcher(problem);
                assertThat(at.matches()).as("problem %s", problem).isTrue();
                assertThat(Long.parseLong(at.group(1))).as("line of %s", problem).isBetween(1L, lines + 1);
                assertThat(Long.parseLong(at.group(2))).as("column of %s", problem).isPositive();
            }
        }
    }
}
