package org.aioloop.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The JDK selector loop behind {@link SelectorPeer}. Each key's attachment is a {@link KeyHandler}.
 */
final class SelectorLoop implements BenchLoop {
    /** What a key's attachment does when the key is selected. */
    interface KeyHandler {
        void onSelected(SelectionKey key) throws IOException;
    }

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<SelectorTimer> timers = new PriorityQueue<>();
    private final Thread thread;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private volatile boolean running = true;
    private long timerSeq;

    SelectorLoop(String threadName) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                if (!tasks.isEmpty()) {
                    selector.selectNow(dispatch);
                } else if (timers.isEmpty()) {
                    selector.select(dispatch, 0);
                } else {
                    long wait = timers.peek().deadline - System.nanoTime();
                    if (wait <= 0) {
                        selector.selectNow(dispatch);
                    } else {
                        // Round up: the JDK selector only takes milliseconds.
                        selector.select(dispatch, (wait + 999_999) / 1_000_000);
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
                    timers.poll().task.run();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                throw new IllegalStateException("selector loop failed", e);
            }
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            ((KeyHandler) key.attachment()).onSelected(key);
        } catch (IOException e) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    void execute(Runnable task) {
        tasks.offer(task);
        selector.wakeup();
    }

    /** Registers on the loop thread (registration from elsewhere would race the select). */
    SelectionKey registerOnLoop(SelectableChannel ch, int ops, KeyHandler handler) throws IOException {
        return ch.register(selector, ops, handler);
    }

    @Override
    public void runSync(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loop task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("loop task did not run within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Trigger newTrigger(Runnable task) {
        return () -> execute(task);
    }

    @Override
    public BenchPipe openPipe() throws IOException {
        return new NioPipe();
    }

    @Override
    public AutoCloseable watchReadable(BenchPipe pipe, Runnable onReadable) {
        SelectionKey[] key = new SelectionKey[1];
        runSync(() -> key[0] = registerUnchecked(((NioPipe) pipe).source(), k -> onReadable.run()));
        return () -> runSync(key[0]::cancel);
    }

    private SelectionKey registerUnchecked(SelectableChannel ch, KeyHandler handler) {
        try {
            return registerOnLoop(ch, SelectionKey.OP_READ, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public AutoCloseable registerIdleFds(int count) throws IOException {
        List<DatagramChannel> channels = new ArrayList<>(count);
        AutoCloseable all = () -> {
            runSync(() -> channels.forEach(ch -> {
                SelectionKey k = ch.keyFor(selector);
                if (k != null) {
                    k.cancel();
                }
            }));
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                DatagramChannel ch = DatagramChannel.open();
                channels.add(ch);
                ch.configureBlocking(false);
            }
            KeyHandler never = k -> {
                throw new IllegalStateException("an idle fd became ready");
            };
            runSync(() -> channels.forEach(ch -> registerUnchecked(ch, never)));
        } catch (IOException | RuntimeException e) {
            try {
                all.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return all;
    }

    @Override
    public void scheduleAt(long deadlineNanoTime, Runnable task) {
        timers.add(new SelectorTimer(deadlineNanoTime, timerSeq++, task));
    }

    @Override
    public EchoServer startEchoServer() throws IOException {
        return new SelectorEchoServer(this);
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A timer entry: ordered by deadline, then by arming order. */
    private record SelectorTimer(long deadline, long seq, Runnable task) implements Comparable<SelectorTimer> {
        @Override
        public int compareTo(SelectorTimer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
