package io.cloudwarden.engine.state;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes written once and then replayed to several outputs ({@link #writeTo}), kept in segments of
 * {@link #SEGMENT} bytes instead of one array: the scan writes its snapshot to two keys, and an array of the whole
 * document (10.9 MB at 10,000 buckets) would be allocated straight in the serial collector's tenured generation and
 * stay resident (docs/PERFORMANCE.md "Streamed state reads and writes"). Jackson's {@code ByteArrayBuilder} can only
 * hand its segments back as one copied array. Not thread-safe.
 */
final class SegmentedBytes extends OutputStream {
    static final int SEGMENT = 64 * 1024;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[SEGMENT];
    private int count;

    @Override
    public void write(int b) {
        if (count == current.length) {
            next();
        }
        current[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == current.length) {
                next();
            }
            int n = Math.min(len, current.length - count);
            System.arraycopy(b, off, current, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    private void next() {
        full.add(current);
        current = new byte[SEGMENT];
        count = 0;
    }

    long size() {
        return (long) full.size() * SEGMENT + count;
    }

    /** Writes every byte written so far to {@code out}, in order; can be called any number of times. */
    void writeTo(OutputStream out) throws IOException {
        for (byte[] segment : full) {
            out.write(segment, 0, segment.length);
        }
        out.write(current, 0, count);
    }
}
