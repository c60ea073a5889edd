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
        Ordered<T, R> reads = new Ordered<>(limiter, read, sink);
        try {
            Iterator<T> it = items.iterator();
            while (true) {
                T item;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    item = it.next();
                } catch (RuntimeException | Error e) {
                    reads.finish();
                    throw e;
                }
                reads.submit(item);
            }
            reads.finish();
        } finally {
            reads.cancel();
        }
    }

    /**
     * The same for sources that push their items (a callback per row, as Resource Graph paging does): call
     * {@link Ordered#submit} per item on one thread, then {@link Ordered#finish}; {@link Ordered#cancel} in a
     * {@code finally} stops the reads still running when the source failed.
     */
    public static <T, R> Ordered<T, R> ordered(AdaptiveLimiter limiter, Function<? super T, R> read,
            Consumer<? super R> sink) {
        return new Ordered<>(limiter, read, sink);
    }

    /** Ordered concurrent reads fed one item at a time; not thread-safe (one feeding thread). */
    public static final class Ordered<T, R> {
        private final AdaptiveLimiter limiter;
        private final Function<? super T, R> read;
        private final Consumer<? super R> sink;
        private final int window;
        private final ArrayDeque<Read<R>> pending = new ArrayDeque<>();
        private boolean failed;

        Ordered(AdaptiveLimiter limiter, Function<? super T, R> read, Consumer<? super R> sink) {
            this.limiter = limiter;
            this.read = read;
            this.sink = sink;
            this.window = Math.max(16, limiter.quota().max() * 4);
        }

        /**
         * Starts reading {@code item} once the limiter allows; first hands over the finished results at the head (and
         * throws the failure of the earliest item, if it failed).
         */
        public void submit(T item) {
            try {
                // Hand over what is finished at the head, and keep the backlog bounded behind a slow read.
                while (!pending.isEmpty() && (pending.peekFirst().future.isDone() || pending.size() >= window)) {
                    handOver(pending.removeFirst());
                }
                limiter.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading " + limiter.quota().name());
            }
            Read<R> r = new Read<>(limiter);
            try {
                r.future = POOL.submit(() -> r.run(() -> read.apply(item)));
            } catch (RuntimeException e) {
                r.releaseUnstarted();
                throw e;
            }
            pending.addLast(r);
        }

        /**
         * Waits for every read and hands the results over in order; throws the earliest item's failure. A no-op once a
         * read's failure has been thrown (so a caller may call it again on its way out without masking that failure).
         */
        public void finish() {
            if (failed) {
                return;
            }
            try {
                while (!pending.isEmpty()) {
                    handOver(pending.removeFirst());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading " + limiter.quota().name());
            }
        }

        private void handOver(Read<R> r) throws InterruptedException {
            R result;
            try {
                result = await(r.future);
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            }
            sink.accept(result);
        }

        /** Cancels the reads not yet handed over (after a failure); a no-op after {@link #finish()}. */
        public void cancel() {
            for (Read<R> r : pending) {
                r.future.cancel(true);
                // A read cancelled before it started never reaches its finally: give its permit back here.
                r.releaseUnstarted();
            }
            pending.clear();
        }
    }

    /** One submitted read; its limiter permit is given back exactly once, by the read or by a cancel before it ran. */
    private static final class Read<R> {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int RELEASED = 2;
        private final AdaptiveLimiter limiter;
        private final AtomicInteger state = new AtomicInteger(NEW);
        Future<R> future;

        Read(AdaptiveLimiter limiter) {
            this.limiter = limiter;
        }

        R run(java.util.function.Supplier<R> body) {
            if (!state.compareAndSet(NEW, RUNNING)) {
                return null;
            }
            try {
                return body.get();
            } finally {
                state.set(RELEASED);
                limiter.release();
            }
        }

        void releaseUnstarted() {
            if (state.compareAndSet(NEW, RELEASED)) {
                limiter.release();
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
