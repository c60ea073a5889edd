package io.cloudwarden.local;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where a command writes its report: standard output, or a file written atomically (temp + rename). */
final class Output {
    private Output() {
    }

    interface Body {
        void write(Writer w) throws IOException;
    }

    static void write(Path out, PrintWriter stdout, Body body) throws IOException {
        if (out == null) {
            body.write(stdout);
            stdout.flush();
            return;
        }
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8)) {
            body.write(w);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A one-line progress indicator on the terminal; silent when stderr is not a terminal. */
    static final class Progress implements io.cloudwarden.engine.scan.ScanListener {
        private final boolean enabled = System.console() != null && System.getenv("CI") == null;
        private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        private volatile int total;

        @Override
        public void planned(int shards) {
            total = shards;
            show();
        }

        @Override
        public void shardFinished(io.cloudwarden.engine.spi.Shard shard, int resources) {
            done.incrementAndGet();
            show();
        }

        @Override
        public void shardFailed(io.cloudwarden.engine.spi.Shard shard, io.cloudwarden.model.ScanError error) {
            done.incrementAndGet();
            show();
        }

        private synchronized void show() {
            if (enabled) {
                System.err.print("\rscanning: " + done.get() + "/" + total + " shards");
                if (done.get() >= total) {
                    System.err.print("\r\033[K");
                }
                System.err.flush();
            }
        }
    }
}
