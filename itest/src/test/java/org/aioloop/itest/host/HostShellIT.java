package org.aioloop.itest.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import javax.inject.Inject;

import org.aioloop.api.AioContext;
import org.aioloop.api.host.LoopHost;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The {@code aio:} commands through Gogo's CommandProcessor, as a shell user types them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostShellIT extends HostTestSupport {
    @Inject
    private CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return withHost();
    }

    private String run(String command) throws Exception {
        awaitService(LoopHost.class, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps)) {
            Object result = session.execute(command);
            return String.valueOf(result);
        }
    }

    @Test
    public void contextsAndBackendsAreListed() throws Exception {
        String contexts = run("aio:contexts");
        assertTrue(contexts, contexts.matches("(?s)CONTEXT\\s+THREAD\\s+BACKEND.*\\nmain\\s+aioloop-main\\s+\\w+.*"));
        assertTrue(contexts, contexts.contains("\niohandler "));
        String backends = run("aio:backends");
        assertTrue(backends, backends.matches("(?s).*\\nepoll\\s+100\\s+yes.*"));
        assertTrue(backends, backends.matches("(?s).*\\npoll\\s+10\\s+yes.*"));
        assertTrue(run("aio:devices"), run("aio:devices").startsWith("DEVICE"));
        assertTrue(run("aio:stats main").startsWith("CONTEXT"));
        assertTrue(run("aio:show main").startsWith("fd handlers of context 'main'"));
    }

    @Test
    public void switchMovesTheRunningLoop() throws Exception {
        LoopHost host = host();
        assertEquals("main: poll\niohandler: poll\n", run("aio:switch poll"));
        assertTrue(backendsInUse(host).toString(), allOn(host, "poll"));
        assertEquals("main: epoll\n", run("aio:switch epoll main"));
        assertEquals("epoll", host.context(AioContext.MAIN).backendName());
        run("aio:switch auto");
        assertTrue(backendsInUse(host).toString(), allOn(host, "epoll"));
    }

    @Test
    public void iothreadsAreAddedAndRemoved() throws Exception {
        String added = run("aio:iothread-add io5 poll-max-ns=0 thread-pool-max=2");
        assertTrue(added, added.startsWith("IOThread 'io5' started on backend "));
        awaitService(AioContext.class, "(aioloop.context=io5)");
        String list = run("aio:iothreads");
        assertTrue(list, list.matches("(?s).*\\nio5\\s+IO io5\\s+\\w+\\s+0\\s+.*"));
        assertEquals("IOThread 'io5' stopped\n", run("aio:iothread-remove io5"));
        awaitServiceGone(AioContext.class, "(aioloop.context=io5)");
    }

    @Test
    public void mistakesAreExplained() throws Exception {
        try {
            run("aio:show nope");
            fail("an unknown context must be refused");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no context 'nope' (known: main, iohandler"));
        }
        try {
            run("aio:iothread-add io6 poll-max-ns=-1");
            fail("a negative poll-max-ns must be refused");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("poll-max-ns"));
        }
    }
}
