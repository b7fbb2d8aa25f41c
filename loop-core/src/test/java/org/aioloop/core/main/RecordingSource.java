package org.aioloop.core.main;

import java.util.List;
import java.util.function.Consumer;

import org.aioloop.api.EventSource;
import org.aioloop.api.SourceHandle;

/**
 * A scriptable source that records what the context called: {@code prepareResult} is what prepare
 * returns, {@code checkResult} what check returns, {@code onDispatch} runs in dispatch.
 */
class RecordingSource implements EventSource {
    final String name;
    final List<String> log;
    volatile long prepareResult = -1;
    volatile boolean checkResult;
    volatile boolean keep = true;
    volatile Consumer<SourceHandle> onDispatch;
    volatile Consumer<SourceHandle> onPrepare;
    int prepares;
    int checks;
    int dispatches;
    int destroys;
    volatile int inDispatch;

    RecordingSource(String name, List<String> log) {
        this.name = name;
        this.log = log;
    }

    /** Records counts only (no log: allocation-free). */
    RecordingSource(String name) {
        this(name, null);
    }

    /** Ready at every prepare. */
    RecordingSource alwaysReady() {
        prepareResult = 0;
        return this;
    }

    @Override
    public long prepare(SourceHandle source) {
        prepares++;
        Consumer<SourceHandle> c = onPrepare;
        if (c != null) {
            c.accept(source);
        }
        return prepareResult;
    }

    @Override
    public boolean check(SourceHandle source) {
        checks++;
        return checkResult;
    }

    @Override
    public boolean dispatch(SourceHandle source) {
        dispatches++;
        if (log != null) {
            log.add("dispatch " + name);
        }
        inDispatch++;
        try {
            Consumer<SourceHandle> c = onDispatch;
            if (c != null) {
                c.accept(source);
            }
        } finally {
            inDispatch--;
        }
        return keep;
    }

    @Override
    public void onDestroy(SourceHandle source) {
        destroys++;
        if (log != null) {
            log.add("destroy " + name + (inDispatch > 0 ? " (inside dispatch!)" : ""));
        }
    }
}
