package dev.berth.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildArgumentsTest {

    @Test
    void theCommandLineTheMasterWritesParsesBackToTheSameArguments() {
        ChildArguments arguments = new ChildArguments("dispatcher", Path.of("/run/berth/worker.sock"),
                Path.of("/run/berth/scoreboard"), 7, 42);

        assertThat(ChildArguments.parse(arguments.toArgs().toArray(String[]::new))).isEqualTo(arguments);
        assertThat(arguments.toArgs()).as("only a spare says so").doesNotContain("--spare");
    }

    @Test
    void aSpareIsSaidSoOnItsCommandLine() {
        ChildArguments spare = new ChildArguments("worker", Path.of("/run/berth/worker.sock"),
                Path.of("/run/berth/scoreboard"), 3, 9, true);

        assertThat(spare.toArgs()).endsWith("--spare", "true");
        assertThat(ChildArguments.parse(spare.toArgs().toArray(String[]::new))).isEqualTo(spare);
    }

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> ChildArguments.parse("--role", "worker", "--control", "c", "--slot", "1", "--token", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing --scoreboard");
    }

    @Test
    void aSlotThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> ChildArguments.parse("--role", "worker", "--control", "c", "--scoreboard", "s",
                "--slot", "one", "--token", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--slot and --token take numbers");
    }

    @Test
    void anUnknownRoleNamesTheInstalledOnes() {
        assertThatThrownBy(() -> ChildRoles.named("nonesuch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no child role 'nonesuch'; installed:");
    }
}
