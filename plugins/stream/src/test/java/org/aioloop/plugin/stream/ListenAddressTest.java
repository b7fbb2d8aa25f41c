package org.aioloop.plugin.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.aioloop.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
    @Test
    void loopbackIsAcceptedAndLocalhostMeansIpv4Loopback() {
        assertEquals("127.0.0.1", ListenAddress.tcp("localhost", 0, false).host());
        assertEquals("tcp:127.0.0.1:5", ListenAddress.tcp("127.0.0.1", 5, false).toString());
        assertTrue(ListenAddress.tcp("::1", 0, false).toString().startsWith("tcp:["));
    }

    @Test
    void nonLoopbackNeedsAllowRemote() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.tcp("0.0.0.0", 0, false));
        assertEquals("host", e.key());
        assertEquals("0.0.0.0", ListenAddress.tcp("0.0.0.0", 0, true).host());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("port", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.tcp("127.0.0.1", 70000, false)).key());
        assertEquals("host", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.tcp("example.org", 1, false)).key());
        assertEquals("transport", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.of("udp", "127.0.0.1", 1, null, false)).key());
        assertEquals("path", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.of("unix", null, 0, "", false)).key());
        assertEquals("path", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.unix(Path.of("/tmp/" + "x".repeat(120)))).key());
    }

    @Test
    void limitsAreChecked() {
        assertEquals("maxClients", assertThrows(InvalidConfigurationException.class,
                () -> new ServerLimits(0, 4096, 4096, 1)).key());
        assertEquals("outputLimitBytes", assertThrows(InvalidConfigurationException.class,
                () -> new ServerLimits(1, 4096, 1, 1)).key());
    }
}
