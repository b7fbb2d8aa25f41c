package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

    @Test
    void modeDefaultsFollowTheTerminal() throws Exception {
        assertEquals(LaunchMode.INTERACTIVE, LauncherOptions.parse(new String[0], true).mode());
        assertEquals(LaunchMode.SCRIPT, LauncherOptions.parse(new String[0], false).mode());
        assertNull(LauncherOptions.parse(new String[0], false).commands(), "no -c: commands come from stdin");
    }

    @Test
    void explicitModesWinOverTheTerminal() throws Exception {
        assertEquals(LaunchMode.DAEMON, LauncherOptions.parse(new String[] {"--daemon"}, true).mode());
        assertEquals(LaunchMode.DAEMON, LauncherOptions.parse(new String[] {"-d"}, false).mode());
        assertEquals(LaunchMode.INTERACTIVE, LauncherOptions.parse(new String[] {"-i"}, false).mode());
        assertEquals(LaunchMode.SCRIPT, LauncherOptions.parse(new String[] {"-s"}, true).mode());
    }

    @Test
    void commandsAreCollectedInOrderAndMeanScriptMode() throws Exception {
        LauncherOptions o = LauncherOptions.parse(new String[] {"-c", "lb; scr:list", "--command", "echo done"}, true);
        assertEquals(LaunchMode.SCRIPT, o.mode());
        assertEquals("lb; scr:list\necho done", o.commands());
    }

    @Test
    void directoriesAndPropertiesAreTaken() throws Exception {
        LauncherOptions o = LauncherOptions.parse(new String[] {"--home", "/h", "--bundles", "b", "--etc", "/e",
            "--deploy", "d", "--cache", "/c", "-Dfelix.log.level=4", "-Dempty", "-q"}, true);
        assertEquals(Path.of("/h"), o.home());
        assertEquals(Path.of("b"), o.bundles());
        assertEquals(Path.of("/e"), o.etc());
        assertEquals(Path.of("d"), o.deploy());
        assertEquals(Path.of("/c"), o.cache());
        assertEquals(Map.of("felix.log.level", "4", "empty", ""), o.properties());
        assertTrue(o.quiet());
        assertFalse(o.help());
    }

    @Test
    void mistakesAreUsageErrorsNamingTheArgument() {
        UsageException unknown = assertThrows(UsageException.class,
                () -> LauncherOptions.parse(new String[] {"--frobnicate"}, true));
        assertTrue(unknown.getMessage().contains("--frobnicate"), unknown.getMessage());
        assertEquals(ExitStatus.USAGE, unknown.exitStatus());

        UsageException missing = assertThrows(UsageException.class,
                () -> LauncherOptions.parse(new String[] {"-c"}, true));
        assertTrue(missing.getMessage().contains("-c"), missing.getMessage());

        assertThrows(UsageException.class, () -> LauncherOptions.parse(new String[] {"--bundles", ""}, true));
        assertThrows(UsageException.class, () -> LauncherOptions.parse(new String[] {"-D=x"}, true));
    }

    @Test
    void conflictingModesAreRejected() {
        UsageException e = assertThrows(UsageException.class,
                () -> LauncherOptions.parse(new String[] {"-d", "-c", "lb"}, true));
        assertTrue(e.getMessage().contains("-c") && e.getMessage().contains("daemon"), e.getMessage());
        assertThrows(UsageException.class, () -> LauncherOptions.parse(new String[] {"-i", "-d"}, true));
        assertThrows(UsageException.class, () -> LauncherOptions.parse(new String[] {"-c", "lb", "-i"}, true));
    }
}
