package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option every command takes, and where it puts the master's run directory. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path file;

    Path file() {
        return file.toAbsolutePath().normalize();
    }

    /**
     * The run directory the file names, read leniently so that a master can be reached (to
     * reload, stop, or report status) even while the file has errors: {@code master.run-dir},
     * default {@code run}, relative to the file's directory.
     */
    Path runDir() {
        String runDir = "run";
        try {
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(file().toFile());
            if (tree != null && tree.path("master").path("run-dir").isTextual()) {
                runDir = tree.path("master").path("run-dir").asText();
            }
        } catch (IOException e) {
            // an unreadable file: the default run directory is the best guess
        }
        return file().getParent().resolve(runDir).normalize();
    }
}
