package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHostOnTheSameCacheIsRefusedNamingTheOwner() throws Exception {
        Path cache = dir.resolve("felix-cache");
        try (FileChannel first = CacheLock.acquire(cache)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve("felix-cache.lock")));
            LaunchException e = assertThrows(LaunchException.class, () -> CacheLock.acquire(cache));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid())
                    && e.getMessage().contains("--cache"), e.getMessage());
            assertEquals(ExitStatus.STARTUP_FAILED, e.exitStatus());
        }
        CacheLock.acquire(cache).close(); // released with the first channel
    }

    @Test
    void differentCachesDoNotInterfere() throws Exception {
        try (FileChannel a = CacheLock.acquire(dir.resolve("a")); FileChannel b = CacheLock.acquire(dir.resolve("b"))) {
            assertTrue(a.isOpen() && b.isOpen());
        }
    }
}
