package org.aioloop.plugin.stream;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.aioloop.api.InvalidConfigurationException;

/**
 * Where a relative Unix socket path goes: the host's run directory, named by the framework property
 * {@value #PROPERTY} (the launcher sets it to {@code <home>/run}), so that the sockets do not depend
 * on the working directory the host happened to be started from. Without the property, a relative
 * path stays relative to the working directory, as before.
 */
public final class RunDirectory {
    /** The framework property naming the run directory. */
    public static final String PROPERTY = "aioloop.run.dir";

    private RunDirectory() {
    }

    /**
     * Resolves a socket path. Only a relative Unix path is changed: it is resolved against
     * {@code runDir}, which is created (parents included) with mode 0700 if it does not exist; an
     * existing directory is used as it is.
     *
     * @param transport {@code unix} or {@code tcp} (case-insensitive); anything else is returned unchanged
     *                  for {@link ListenAddress#of} to reject
     * @param path      the configured path, absolute or relative; null or empty is returned unchanged
     * @param runDir    the value of {@value #PROPERTY}, or null/blank when not set
     * @return the path to listen on
     * @throws InvalidConfigurationException naming {@value #PROPERTY} if the run directory is not a
     *                                       directory or cannot be created
     */
    public static String resolveSocketPath(String transport, String path, String runDir) {
        if (!"unix".equalsIgnoreCase(transport) || path == null || path.isEmpty()
                || runDir == null || runDir.isBlank() || Path.of(path).isAbsolute()) {
            return path;
        }
        Path dir = Path.of(runDir.trim());
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (FileAlreadyExistsException e) {
            throw new InvalidConfigurationException(PROPERTY, runDir, "exists and is not a directory");
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidConfigurationException(PROPERTY, runDir, "cannot be created: " + e);
        }
        return dir.resolve(path).toString();
    }
}
