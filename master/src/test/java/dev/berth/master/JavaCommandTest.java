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

        assertThat(command).contains(JavaCommand.NATIVE_ACCESS, JavaCommand.DEFAULT_GC, "-XX:-UsePerfData");
        assertThat(command.indexOf("-Xmx96m")).as("the pool's heap wins").isGreaterThan(command.indexOf("-Xmx256m"));
        assertThat(command.indexOf("-cp")).isGreaterThan(command.indexOf("-Xmx96m"));
    }

    @Test
    void aPoolThatNamesItsCollectorGetsNoOther() {
        assertThat(JavaCommand.child(List.of("-XX:+UseZGC"))).contains("-XX:+UseZGC").doesNotContain(JavaCommand.DEFAULT_GC);
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
