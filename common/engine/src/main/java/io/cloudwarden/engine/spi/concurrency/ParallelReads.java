package io.cloudwarden.engine.spi.concurrency;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a collector's per-resource detail reads concurrently, as many in flight as an {@link AdaptiveLimiter} allows,
 * and hands the results to the sink <em>in the order of the items</em>, on the calling thread, exactly as the
 * sequential loop {@code for (T t : items) sink.accept(read.apply(t))} would:
 * <ul>
 *   <li>the sink sees the same results in the same order (it need not be thread-safe);</li>
 *   <li>when reads fail, the failure of the first failing item (in item order) is rethrown as it was thrown, after
 *       every earlier item has been handed to the sink; the reads still running are cancelled;</li>
 *   <li>when the item source itself fails (a listing page), the earlier items are read and handed over first (or the
 *       first of their failures is thrown), then the source's failure.</li>
 * </ul>
 * The items are pulled lazily on the calling thread (a paginator keeps paging while reads run), and the calling
 * thread waits for a permit before pulling the next item, so at most {@code limit} reads run and at most a bounded
 * number of finished results wait for an earlier slow one.
 */
public final class ParallelReads {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /**
     * One pool for every collector: threads are created as reads need them (the limiters bound how many run) and
     * end after a minute idle. Daemon threads: a scan never keeps the JVM alive.
     */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cloudwarden-read-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private ParallelReads() {
    }

    public static <T, R> void forEachOrdered(Iterable<T> items, AdaptiveLimiter limiter, Function<? super T, R> read,
            Consumer<? super R> sink) {
        int window = Math.max(16, limiter.quota().max() * 4);
        ArrayDeque<Future<R>> pending = new ArrayDeque<>();
        boolean done = false;
        try {
            Iterator<T> it = items.iterator();
            RuntimeException sourceFailure = null;
            Error sourceError = null;
            while (true) {
                T item;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    item = it.next();
                } catch (RuntimeException e) {
                    sourceFailure = e;
                    break;
                } catch (Error e) {
                    sourceError = e;
                    break;
                }
                // Hand over what is finished at the head, and keep the backlog bounded behind a slow read.
                while (!pending.isEmpty() && (pending.peekFirst().isDone() || pending.size() >= window)) {
                    sink.accept(await(pending.removeFirst()));
                }
                limiter.acquire();
                try {
                    pending.addLast(POOL.submit(() -> {
                        try {
                            return read.apply(item);
                        } finally {
                            limiter.release();
                        }
                    }));
                } catch (RuntimeException e) {
                    limiter.release();
                    throw e;
                }
            }
            while (!pending.isEmpty()) {
                sink.accept(await(pending.removeFirst()));
            }
            done = true;
            if (sourceFailure != null) {
                throw sourceFailure;
            }
            if (sourceError != null) {
                throw sourceError;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while reading " + limiter.quota().name());
        } finally {
            if (!done) {
                pending.forEach(f -> f.cancel(true));
            }
        }
    }

    private static <R> R await(Future<R> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
