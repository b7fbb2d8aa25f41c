package org.aioloop.plugin.chardev.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.TestClient;
import org.junit.jupiter.api.Test;

/**
 * The echo hot path allocates nothing on the loop thread: reads and writes go through pooled
 * native buffers and preallocated callbacks. Measured with the loop thread's allocation counter
 * over many round trips after a warm-up.
 */
class EchoAllocationTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void echoRoundTripsAllocateNothingOnTheLoopThread() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DeviceHarness h = DeviceHarness.builder().name("alloc").build()) {
            SocketCharDevice d = new SocketCharDevice("echo", ListenAddress.tcp("127.0.0.1", 0, false), CharDevMode.ECHO,
                    ServerLimits.DEFAULT, 1024);
            h.attach(d);
            long loopThread = h.context().homeThread().getId();
            byte[] message = new byte[256];
            try (TestClient c = TestClient.tcp("127.0.0.1", d.localPort())) {
                for (int i = 0; i < 3000; i++) { // warm-up: JIT, pools, first-use paths
                    c.send(message, T);
                    c.readExactly(message.length, T);
                }
                int rounds = 5000;
                long before = threads.getThreadAllocatedBytes(loopThread);
                for (int i = 0; i < rounds; i++) {
                    message[0] = (byte) i;
                    c.send(message, T);
                    assertArrayEquals(message, c.readExactly(message.length, T));
                }
                long perRound = (threads.getThreadAllocatedBytes(loopThread) - before) / rounds;
                System.out.println("loop-thread bytes allocated per echo round trip: " + perRound);
                assertTrue(perRound < 16, "loop thread allocated " + perRound + " bytes per echo round trip");
            }
        }
    }
}
