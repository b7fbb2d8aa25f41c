package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class FrameworkPropertiesTest {
    private final HostLayout layout = new HostLayout(Path.of("/opt/aio"), Path.of("/opt/aio/bundles"),
            Path.of("/opt/aio/etc"), Path.of("/opt/aio/deploy"), Path.of("/var/cache/aio"));

    @Test
    void cacheIsCleanedAndBothFoldersAreWatched() {
        Map<String, String> p = FrameworkProperties.build(layout, LaunchMode.INTERACTIVE, new Properties(), Map.of());
        assertEquals("/var/cache/aio", p.get("org.osgi.framework.storage"));
        assertEquals("onFirstInit", p.get("org.osgi.framework.storage.clean"));
        assertEquals("/opt/aio/etc,/opt/aio/deploy", p.get("felix.fileinstall.dir"));
        assertEquals("false", p.get("felix.fileinstall.enableConfigSave"));
        assertEquals("/opt/aio/etc", p.get(FrameworkProperties.ETC));
        assertEquals("/opt/aio", p.get(FrameworkProperties.HOME));
    }

    @Test
    void onlyTheInteractiveModeGetsAConsole() {
        assertEquals("-q", FrameworkProperties.build(layout, LaunchMode.INTERACTIVE, new Properties(), Map.of())
                .get("gosh.args"));
        assertEquals("--nointeractive", FrameworkProperties.build(layout, LaunchMode.SCRIPT, new Properties(),
                Map.of()).get("gosh.args"));
        assertEquals("--nointeractive", FrameworkProperties.build(layout, LaunchMode.DAEMON, new Properties(),
                Map.of()).get("gosh.args"));
    }

    @Test
    void systemPropertiesWithAFrameworkPrefixOverrideDefaultsAndOptionsOverrideBoth() {
        Properties system = new Properties();
        system.setProperty("felix.fileinstall.poll", "250");
        system.setProperty("felix.log.level", "3");
        system.setProperty("user.home", "/root");
        Map<String, String> p = FrameworkProperties.build(layout, LaunchMode.DAEMON, system,
                Map.of("felix.log.level", "4"));
        assertEquals("250", p.get("felix.fileinstall.poll"));
        assertEquals("4", p.get("felix.log.level"));
        assertFalse(p.containsKey("user.home"), "unrelated JVM properties stay out of the framework");
    }
}
