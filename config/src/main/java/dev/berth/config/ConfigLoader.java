package dev.berth.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Loads and validates; pure apart from reading the file. Reports every problem it can find in one
 * pass, in file order, each naming file, line, column, key, bad value and what is accepted.
 * Stateless and thread-safe; calls may run concurrently.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Reads the file as UTF-8, then {@link #parse}s it. Blocks on the read.
     *
     * @param file the config file; messages name it as given, relative paths resolve against its
     *     directory
     * @param kinds the service kinds this build knows, such as {@code echo} and {@code http}
     * @throws ConfigException if the file cannot be read, is not UTF-8, or is invalid
     */
    public static HostConfig load(Path file, Set<String> kinds) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kinds, "kinds");
        String text;
        try {
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw unreadable(file, "it is not valid UTF-8 text");
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (IOException e) {
            throw unreadable(file, String.valueOf(e.getMessage()));
        }
        return parse(file, text, kinds);
    }

    /**
     * Validates config text without any I/O.
     *
     * @param file names the source in messages and is the base for relative paths; not read
     * @param text the YAML text
     * @param kinds the service kinds this build knows; a service's {@code kind} must be one
     * @return the config, with relative paths made absolute against the file's directory
     * @throws ConfigException with every problem found, if the text is not a valid config
     */
    public static HostConfig parse(Path file, String text, Set<String> kinds) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kinds, "kinds");
        return new HostConfigReader(file, text, Set.copyOf(kinds)).read();
    }

    /**
     * The master's run directory as the file names it ({@code master.run-dir} as written), read
     * leniently: a file with errors elsewhere still tells where its master is, so that the master
     * can be reached to stop, reload or report. Reads only the YAML tree, not the whole config.
     * Blocks on the read.
     *
     * @return the text of {@code master.run-dir}, or empty when the file is unreadable, is not
     *     YAML, or names none
     */
    public static Optional<String> runDirEntry(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            Optional<Node> root = YamlTreeReader.read(file, Files.readString(file), new Problems());
            if (root.orElse(null) instanceof Node.Mapping top && top.entries().get("master") instanceof Node.Entry master
                    && master.value() instanceof Node.Mapping section
                    && section.entries().get("run-dir") instanceof Node.Entry runDir
                    && runDir.value() instanceof Node.Scalar text) {
                return Optional.of(text.text());
            }
        } catch (IOException | ConfigException e) {
            // unreadable or not YAML: the caller's default is the best guess
        }
        return Optional.empty();
    }

    private static ConfigException unreadable(Path file, String reason) {
        return new ConfigException(List.of(file + ": cannot read the config file: " + reason));
    }
}
