package dev.berth.cli;

import dev.berth.config.ConfigLoader;
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
        return file().getParent().resolve(ConfigLoader.runDirEntry(file()).orElse("run")).normalize();
    }
}
