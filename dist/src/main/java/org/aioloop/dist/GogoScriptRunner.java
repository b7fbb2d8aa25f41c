package org.aioloop.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs Gogo commands for the non-interactive mode and prints each result as the console would.
 *
 * <p>Why not {@code gosh -c}: gosh prints nothing for a command's return value (so {@code lb}
 * shows nothing), adds "gosh: stopping shell and framework" to stdout, and when a command throws
 * it skips the framework shutdown, leaving the host running forever. Here the launcher owns the
 * outcome: the first failing statement is reported on stderr, the rest is skipped, and the exit
 * status says so.
 *
 * <p>The command processor lives inside the framework (gogo.runtime) and the launcher outside it,
 * so its interface is reached reflectively through the service object's own class loader; the
 * methods used ({@code createSession}, {@code execute}, {@code format}, {@code close}) are Gogo's
 * stable public API.
 */
final class GogoScriptRunner {
    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code Converter.INSPECT}: the console's full rendering of a result. */
    private static final int INSPECT = 0;

    private final BundleContext context;
    private final PrintStream out;
    private final OutputStream err;
    private final Messages messages;

    GogoScriptRunner(BundleContext context, PrintStream out, OutputStream err, Messages messages) {
        this.context = context;
        this.out = out;
        this.err = err;
        this.messages = messages;
    }

    /**
     * Runs a whole script.
     *
     * @param script statements separated by {@code ;} or newlines
     * @return {@link ExitStatus#OK} or {@link ExitStatus#COMMAND_FAILED}
     * @throws LaunchException if there is no Gogo runtime to run commands with
     */
    int runScript(String script) throws LaunchException {
        try (Session session = open()) {
            for (String statement : StatementSplitter.split(script)) {
                if (!session.run(statement)) {
                    return ExitStatus.COMMAND_FAILED;
                }
            }
            return ExitStatus.OK;
        }
    }

    /**
     * Runs commands as they arrive on {@code in}, until end of input. A statement spanning lines
     * (an open closure or quote) runs once it is complete.
     *
     * @param in the command source (stdin)
     * @return {@link ExitStatus#OK} or {@link ExitStatus#COMMAND_FAILED}
     * @throws LaunchException if there is no Gogo runtime, or stdin cannot be read
     */
    int runLines(BufferedReader in) throws LaunchException {
        try (Session session = open()) {
            StringBuilder pending = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                pending.append(line).append('\n');
                if (!StatementSplitter.isComplete(pending)) {
                    continue;
                }
                for (String statement : StatementSplitter.split(pending)) {
                    if (!session.run(statement)) {
                        return ExitStatus.COMMAND_FAILED;
                    }
                }
                pending.setLength(0);
            }
            for (String statement : StatementSplitter.split(pending)) {
                if (!session.run(statement)) {
                    return ExitStatus.COMMAND_FAILED;
                }
            }
            return ExitStatus.OK;
        } catch (IOException e) {
            throw new LaunchException("cannot read commands from stdin: " + e, ExitStatus.COMMAND_FAILED, e);
        }
    }

    private Session open() throws LaunchException {
        ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
        Object processor = ref == null ? null : context.getService(ref);
        if (processor == null) {
            throw new LaunchException("cannot run commands: no Gogo command processor is registered"
                    + " (is org.apache.felix.gogo.runtime in bundles/ and active?)");
        }
        try {
            ClassLoader gogo = processor.getClass().getClassLoader();
            Class<?> processorType = Class.forName(PROCESSOR, false, gogo);
            Class<?> sessionType = Class.forName(SESSION, false, gogo);
            Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class);
            Object session = create.invoke(processor, InputStream.nullInputStream(), out, err);
            return new Session(ref, session, sessionType.getMethod("execute", CharSequence.class),
                    sessionType.getMethod("format", Object.class, int.class), sessionType.getMethod("close"));
        } catch (ReflectiveOperationException e) {
            context.ungetService(ref);
            throw new LaunchException("cannot open a Gogo session: " + e, e);
        }
    }

    /** One Gogo session; closing it releases the processor service. */
    private final class Session implements AutoCloseable {
        private final ServiceReference<?> ref;
        private final Object session;
        private final Method execute;
        private final Method format;
        private final Method close;

        Session(ServiceReference<?> ref, Object session, Method execute, Method format, Method close) {
            this.ref = ref;
            this.session = session;
            this.execute = execute;
            this.format = format;
            this.close = close;
        }

        /** @return whether the statement succeeded; a failure has been reported */
        boolean run(String statement) {
            try {
                Object result = execute.invoke(session, statement);
                if (result != null) {
                    out.println(format.invoke(session, result, INSPECT));
                }
                out.flush();
                return true;
            } catch (InvocationTargetException e) {
                out.flush();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                messages.error("command failed: " + statement + ": " + describe(cause));
                return false;
            } catch (IllegalAccessException e) {
                messages.error("command failed: " + statement + ": " + e);
                return false;
            }
        }

        @Override
        public void close() {
            try {
                close.invoke(session);
            } catch (ReflectiveOperationException e) {
                // the session is gone with the framework anyway
            }
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the framework has stopped (a script ending with 'stop 0')
            }
        }
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
