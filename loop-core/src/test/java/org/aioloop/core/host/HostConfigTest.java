package org.aioloop.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.PollParams;
import org.junit.jupiter.api.Test;

class HostConfigTest {
    @Test
    void absentAndBlankKeysTakeTheDefaults() {
        assertEquals(HostConfig.DEFAULT, HostConfig.parse(null));
        assertEquals(HostConfig.DEFAULT, HostConfig.parse(Map.of("backend", " ", "thread-pool-max", "")));
    }

    @Test
    void valuesMayArriveAsStringsOrNumbers() {
        HostConfig c = HostConfig.parse(Map.of("backend", " EPOLL ", "epoll.upgrade.threshold", 0,
                "thread-pool-min", "2", "thread-pool-max", 8L, "device.detach.timeout.ms", "250"));
        assertEquals(new HostConfig("epoll", 0, 2, 8, 250), c);
    }

    @Test
    void badValuesNameTheirKeyAndValue() {
        assertRejected(HostConfig::parse, "thread-pool-max", "lots", Map.of("thread-pool-max", "lots"));
        assertRejected(HostConfig::parse, "thread-pool-max", "0", Map.of("thread-pool-max", "0"));
        assertRejected(HostConfig::parse, "thread-pool-min", 9, Map.of("thread-pool-min", "9", "thread-pool-max", "4"));
        assertRejected(HostConfig::parse, "epoll.upgrade.threshold", "-1", Map.of("epoll.upgrade.threshold", "-1"));
        assertRejected(HostConfig::parse, "backend", "ep oll", Map.of("backend", "ep oll"));
        assertRejected(HostConfig::parse, "device.detach.timeout.ms", "0", Map.of("device.detach.timeout.ms", "0"));
    }

    @Test
    void iothreadConfigurationsFollowQemuDefaultsAndRules() {
        IOThreadConfig c = IOThreadConfig.parse(Map.of("name", "io1"));
        assertEquals(new IOThreadConfig("io1", PollParams.DEFAULT, 0, 64), c);
        IOThreadConfig d = IOThreadConfig.parse(Map.of("name", "disk-0", "poll-max-ns", "0", "poll-grow", 4,
                "poll-shrink", "2", "thread-pool-min", "1", "thread-pool-max", "3"));
        assertEquals(new IOThreadConfig("disk-0", new PollParams(0, 4, 2), 1, 3), d);

        assertRejected(IOThreadConfig::parse, "name", null, Map.of("poll-max-ns", "0"));
        assertRejected(IOThreadConfig::parse, "name", "main", Map.of("name", "main"));
        assertRejected(IOThreadConfig::parse, "name", "iohandler", Map.of("name", "iohandler"));
        assertRejected(IOThreadConfig::parse, "name", "has space", Map.of("name", "has space"));
        assertRejected(IOThreadConfig::parse, "poll-max-ns", "-5", Map.of("name", "io1", "poll-max-ns", "-5"));
        assertRejected(IOThreadConfig::parse, "poll-grow", "x", Map.of("name", "io1", "poll-grow", "x"));
        assertRejected(IOThreadConfig::parse, "thread-pool-max", "0", Map.of("name", "io1", "thread-pool-max", "0"));
    }

    private static void assertRejected(java.util.function.Function<Map<String, ?>, ?> parser, String key,
            Object value, Map<String, ?> props) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parser.apply(props));
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
    }
}
