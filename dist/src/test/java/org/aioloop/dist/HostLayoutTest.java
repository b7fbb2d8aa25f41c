package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLayoutTest {
    @TempDir
    Path home;

    private HostLayout layout(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return HostLayout.resolve(LauncherOptions.parse(all, true));
    }

    @Test
    void defaultsLiveBelowHome() throws Exception {
        HostLayout l = layout();
        assertEquals(home.resolve("bundles"), l.bundles());
        assertEquals(home.resolve("etc"), l.etc());
        assertEquals(home.resolve("deploy"), l.deploy());
        assertEquals(home.resolve("felix-cache"), l.cache());
    }

    @Test
    void missingBundlesDirectoryIsALoudError() throws Exception {
        LaunchException e = assertThrows(LaunchException.class, () -> layout().checkAndListBundles());
        assertTrue(e.getMessage().contains(home.resolve("bundles").toString()), e.getMessage());
        assertEquals(ExitStatus.STARTUP_FAILED, e.exitStatus());
    }

    @Test
    void emptyBundlesDirectoryIsALoudError() throws Exception {
        Files.createDirectories(home.resolve("bundles"));
        Files.writeString(home.resolve("bundles/notes.txt"), "not a jar");
        LaunchException e = assertThrows(LaunchException.class, () -> layout().checkAndListBundles());
        assertTrue(e.getMessage().contains("no *.jar"), e.getMessage());
    }

    @Test
    void jarsAreListedSortedAndWatchedFoldersCreated() throws Exception {
        Path bundles = Files.createDirectories(home.resolve("custom"));
        Files.writeString(bundles.resolve("b.jar"), "");
        Files.writeString(bundles.resolve("a.jar"), "");
        Files.writeString(bundles.resolve("c.txt"), "");
        HostLayout l = layout("--bundles", bundles.toString());
        assertEquals(List.of(bundles.resolve("a.jar"), bundles.resolve("b.jar")), l.checkAndListBundles());
        assertTrue(Files.isDirectory(l.etc()) && Files.isDirectory(l.deploy()));
    }
}
