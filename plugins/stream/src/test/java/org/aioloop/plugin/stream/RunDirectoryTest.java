package org.aioloop.plugin.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.aioloop.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relative Unix socket paths go to the run directory ({@code aioloop.run.dir}) when it is set. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aRelativeUnixPathIsResolvedAgainstTheRunDirectoryWhichIsCreatedOwnerOnly() throws Exception {
        Path run = tmp.resolve("home/run");
        String p = RunDirectory.resolveSocketPath("unix", "monitor.sock", run.toString());
        assertEquals(run.resolve("monitor.sock").toString(), p);
        assertTrue(Files.isDirectory(run));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
        assertEquals(run.resolve("sub/x.sock").toString(), RunDirectory.resolveSocketPath("UNIX", "sub/x.sock", run.toString()),
                "relative paths with directories too");
    }

    @Test
    void anExistingRunDirectoryIsUsedAsItIs() throws Exception {
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
        assertEquals(run.resolve("a.sock").toString(), RunDirectory.resolveSocketPath("unix", "a.sock", run.toString()));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
    }

    @Test
    void withoutTheRunDirectoryOrForAbsolutePathsOrTcpNothingChanges() {
        Path run = tmp.resolve("run");
        assertEquals("monitor.sock", RunDirectory.resolveSocketPath("unix", "monitor.sock", null));
        assertEquals("monitor.sock", RunDirectory.resolveSocketPath("unix", "monitor.sock", "  "));
        assertEquals("/var/x.sock", RunDirectory.resolveSocketPath("unix", "/var/x.sock", run.toString()));
        assertEquals("monitor.sock", RunDirectory.resolveSocketPath("tcp", "monitor.sock", run.toString()));
        assertEquals("", RunDirectory.resolveSocketPath("unix", "", run.toString()));
        assertNull(RunDirectory.resolveSocketPath("unix", null, run.toString()));
        assertFalse(Files.exists(run), "created only when a relative unix path needs it");
    }

    @Test
    void aRunDirectoryThatIsAFileIsRejectedNamingTheProperty() throws Exception {
        Path file = Files.createFile(tmp.resolve("run"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunDirectory.resolveSocketPath("unix", "m.sock", file.toString()));
        assertTrue(e.getMessage().contains(RunDirectory.PROPERTY), e.getMessage());
    }
}
