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
    void theArchiveIsTheJsaBesideTheFirstJar() throws Exception {
        Path jar = Files.createFile(dir.resolve("berth.jar"));
        String classPath = dir.resolve("classes") + File.pathSeparator + jar;
        assertThat(JavaCommand.archive(classPath)).isEmpty();

        Files.createFile(dir.resolve("berth.jsa"));
        assertThat(JavaCommand.archive(classPath)).contains(dir.resolve("berth.jsa"));
    }
}
