package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCommandTest {

    @TempDir
    Path dir;

    @Test
    void aChildStartsWithTheDefaultsThenItsPoolsOptions() {
        List<String> command = JavaCommand.child(List.of("-Xmx96m"));

        assertThat(command).contains(JavaCommand.NATIVE_ACCESS, "-XX:+ExitOnOutOfMemoryError");
        assertThat(command.indexOf("-Xmx96m")).as("the pool's options come after the defaults")
                .isGreaterThan(command.indexOf("-XX:+ExitOnOutOfMemoryError"));
        assertThat(command.indexOf("-cp")).isGreaterThan(command.indexOf("-Xmx96m"));
    }

    @Test
    void everyJvmWakesForItsOwnHousekeepingAtMostEveryTenSecondsUnlessAPoolSaysOtherwise() {
        List<String> command = JavaCommand.child(List.of("-XX:AsyncDeflationInterval=250"));

        assertThat(command).containsSubsequence(JavaCommand.QUIET).contains("-XX:AsyncDeflationInterval=10000");
        assertThat(command.indexOf("-XX:AsyncDeflationInterval=250")).as("the pool's option wins: it comes later")
                .isGreaterThan(command.indexOf("-XX:AsyncDeflationInterval=10000"));
        assertThat(JavaCommand.of(JavaCommand.MASTER_DEFAULTS)).as("a daemonised master")
                .containsSubsequence(JavaCommand.QUIET);
    }

    @Test
    void aPoolWithoutHeapOrCollectorGetsTheSerialCollectorAndA256MiBHeap() {
        List<String> command = JavaCommand.child(List.of("-Dx=y"));

        assertThat(command).contains("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m");
    }

    @Test
    void aPoolThatSizesTheHeapOrNamesACollectorGetsNoneOfThatDefault() {
        assertThat(JavaCommand.child(List.of("-Xmx48m", "-XX:+UseSerialGC")))
                .as("a pool's -Xmx48m is not combined with the default -Xms32m")
                .doesNotContain("-Xms32m", "-Xmx256m").containsOnlyOnce("-XX:+UseSerialGC");
        assertThat(JavaCommand.child(List.of("-XX:MaxRAMPercentage=10"))).doesNotContain("-Xms32m", "-Xmx256m");
        assertThat(JavaCommand.child(List.of("-XX:+UseZGC"))).doesNotContain("-XX:+UseSerialGC")
                .contains("-Xms32m", "-Xmx256m", "-XX:+UseZGC");
    }

    @Test
    void theArchiveIsTheJsaBesideTheFirstJar() throws Exception {
        Path jar = Files.createFile(dir.resolve("berth.jar"));
        String classPath = dir.resolve("classes") + File.pathSeparator + jar;
        assertThat(JavaCommand.archive(classPath)).isEmpty();

        Files.createFile(dir.resolve("berth.jsa"));
        assertThat(JavaCommand.archive(classPath)).contains(dir.resolve("berth.jsa"));
    }
}
