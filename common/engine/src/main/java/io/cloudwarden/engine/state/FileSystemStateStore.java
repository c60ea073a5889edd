package io.cloudwarden.engine.state;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.model.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A {@link StateStore} in a local directory ({@code --state-dir}). Keys are relative {@code /}-separated paths
 * below the root; absolute keys, {@code .}/{@code ..} and empty segments, backslashes, colons (not portable to
 * Windows file names) and the store's own reserved names are rejected.
 *
 * <p><b>Atomicity.</b> A write goes to a temp file in the target's directory, is fsynced, then renamed over the
 * target with {@code ATOMIC_MOVE}: a reader sees the old or the new bytes, and a crash mid-write leaves at worst a
 * stray temp file, never a truncated object. Temp files ({@code .cw-tmp-*}) are invisible to {@link #list} and are
 * swept under the lock (when no writer can be using them).
 *
 * <p><b>Versions.</b> An object under {@link #RECORDED_VERSION_MIN_BYTES} has the SHA-256 of its content as its
 * version, so it survives restarts and is the same for every process without a record. An object of at least that
 * size (a snapshot, a findings document, the finding history, a full audit segment) gets a <em>write version</em>
 * instead: {@code w<CRC32C of the bytes, 8 hex>-<random 128-bit write id, 32 hex>}, made by the write and recorded
 * beside the object ({@code .cw-versions/<key>}: the version with the file's identity: file key (inode), size and
 * modification time). The SHA-256 it replaces cost ≈ 75 ms of CPU for the 10.7 MB a 2,000-bucket scan writes, under C1
 * (no SHA intrinsic; the CRC32C costs ≈ 1 ms), and grew with the estate; docs/PERFORMANCE.md "2,000-bucket CPU, third
 * pass". A write version
 * names the write, not the bytes: a rewrite of the same bytes gets a new one (as Blob Storage's ETag and GCS's
 * generation do), so an IF_MATCH across it fails and is retried, never wrongly passes.
 *
 * <p>{@link #version} and {@link #get} in another process (a {@code check} after a {@code scan}) take the recorded
 * version only while the file's identity is still the recorded one (every write renames a new file over the key, so
 * a changed file has a new identity) <em>and</em> the file's bytes have the CRC32C the write version carries (checked
 * once per file identity and process, on the bytes a {@link #get} reads anyway, or read for it); otherwise the content
 * is hashed (SHA-256) as for a small object: a file written by a version before this one (its {@code v1} record holds
 * that SHA-256 and is still used), a file edited or replaced by another program, or a record lost to a crash (it is
 * written after the object's rename and directory fsync, without fsync of its own: losing it costs a hash and makes
 * an IF_MATCH on the lost write version fail, never pass). For a precondition to pass wrongly, a stale record would
 * need a file with its inode, size and modification time (a reused inode within the timestamp granularity, after a
 * crash or another program's write) <em>and</em> the same CRC32C; a write version is never equal to a SHA-256. The
 * same identity check guards the in-JVM cache of versions (this JVM's writes and verified reads).
 *
 * <p><b>Streamed reads and writes.</b> {@link #open} reads one open file and settles its version before it hands out
 * a byte (decision: the version is known when the stream is opened, as the SPI promises, rather than after the bytes
 * were read): the stamp before and after opening must be the same file's (else it opens again), then the version is
 * this JVM's cached one or the recorded one for that identity, a recorded write version only once the open file's
 * bytes have its CRC32C (one pass of 64 KiB positional reads, ≈ 10 ms for 42 MB from the page cache), and otherwise the
 * SHA-256 of the open file. So a streamed read can never hand out a version for other bytes than it streams, with the
 * same guarantees as {@link #get}; writers rename new files over the key, so the open file does not change under the
 * reader. {@link #putStream} writes the temp file as the caller writes (the write version's CRC32C, or the SHA-256 of a
 * small object, computed on the way) under the lock and precondition check of {@link #put}; a writer that throws
 * leaves the old object and no temp file. docs/MODEL.md "Streamed reads and writes".
 *
 * <p><b>Conditional writes.</b> IF_ABSENT / IF_MATCH are checked and applied under an exclusive {@link FileLock} on
 * {@code <root>/.lock} (cross-process) taken while holding an in-JVM lock: file locks are held per JVM, so two
 * threads of one JVM must be serialized by the JVM lock first (the in-JVM lock is shared by every store on the
 * same directory). Reads take no lock: rename makes them safe.
 *
 * <p><b>Write groups.</b> Each write costs two fsyncs (the temp file, then its directory after the rename), and on
 * one disk a journalled file system commits each fsync as a transaction of its own when they come one after another:
 * an event's four writes (update, plan, audit segment, idempotency claim) waited for eight commits. Inside a
 * {@link #group} the writes are kept (the calling thread reads them back) and made durable together when it ends:
 * every temp file is written and fsynced <em>concurrently</em>, then the files are renamed in the order they were
 * written, then each distinct directory is fsynced once, concurrently again. Concurrent fsyncs join one journal
 * commit (ext4's jbd2, XFS's log force), so the group waits for about two commits instead of two per write
 * (docs/PERFORMANCE.md, "Write groups"). Each object is still replaced atomically and is never seen torn; every
 * fsync still guards something (the file's bytes before its name points at them, the name before the group
 * returns). The group holds the store's lock from its first write until it ends or {@link #sync}s, so the
 * preconditions checked when each write was made still hold when it is written; other writers wait for it. A crash
 * (kill -9, power loss) while a group is written leaves whole objects only: none of the group's, or a prefix of
 * them in write order, or all of them, never a part of one object. A kill -9 leaves at worst temp files, swept by the
 * next process's first write ({@code FileSystemStateStoreTest}).
 */
public final class FileSystemStateStore implements StateStore {
    static final String LOCK_FILE = ".lock";
    /** Bytes handed to one {@code FileChannel.write} (see {@link #writeTemp}). */
    static final int WRITE_SLICE = 256 * 1024;
    static final String TEMP_PREFIX = ".cw-tmp-";
    /** Where recorded versions live, mirroring the keys (a reserved first key segment). */
    static final String VERSIONS_DIR = ".cw-versions";
    /**
     * Objects at least this large get a write version recorded beside them (see the class comment); smaller ones keep
     * their SHA-256 (it costs at most ≈ 1 ms under C1, less than writing a record).
     */
    static final int RECORDED_VERSION_MIN_BYTES = 64 * 1024;
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Content hashes of files already read, by path, valid while the file's stamp is unchanged (see version). */
    private static final ConcurrentHashMap<Path, Stamp> VERSIONS = new ConcurrentHashMap<>();

    /** The open write group of each thread, by state directory (every store on one directory shares it, as the lock). */
    private static final ThreadLocal<java.util.Map<Path, Group>> GROUPS = ThreadLocal.withInitial(java.util.HashMap::new);

    private final Path root;
    private final ReentrantLock jvmLock;
    private volatile boolean swept;

    public FileSystemStateStore(Path root) {
        // Opening a store writes nothing: readers (check, audit verify, drift) work on a read-only directory, e.g. an
        // archived trail. The directory is created, and stale temp files swept, by the first write, under the lock.
        this.root = canonical(root);
        this.jvmLock = JVM_LOCKS.computeIfAbsent(this.root, p -> new ReentrantLock());
    }

    /**
     * The real path of {@code root} when it exists, else the real path of its nearest existing ancestor with the
     * rest appended (so every store on one directory shares one JVM lock before and after it is created).
     */
    private static Path canonical(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null) {
                return abs;
            }
            if (existing.equals(abs) && !Files.isDirectory(abs)) {
                throw new StateStoreException("state directory " + root + ": exists and is not a directory");
            }
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            throw new StateStoreException("state directory " + root + ": " + reason(e), e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        Path file = resolve(key);
        Pending pending = pending(key);
        if (pending != null) {
            return Optional.of(new StoredObject(key, pending.data().clone(), pending.version()));
        }
        try {
            Stamp before = stamp(file);
            byte[] data = Files.readAllBytes(file);
            // the bytes read are the stamped file's when its identity did not change around the read
            Optional<String> known = before.fileKey().equals("null") || !before.sameFile(stamp(file))
                    ? Optional.empty() : knownVersion(key, file, before, () -> crc32c(data));
            return Optional.of(new StoredObject(key, data, known.orElseGet(() -> contentVersion(data))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        Path target = resolve(key);
        Precondition pre = precondition == null ? Precondition.NONE : precondition;
        Group group = GROUPS.get().get(root);
        if (group != null) {
            return putInGroup(group, key, target, data, pre);
        }
        return withLock(() -> {
            check(key, target, pre);
            Path tmp = writeTemp(target, data);
            try {
                rename(key, tmp, target);
                fsyncDirectory(target.getParent());
            } finally {
                Files.deleteIfExists(tmp);
            }
            String version = newVersion(data);
            remember(key, target, data.length, version);
            return version;
        });
    }

    /**
     * Streams the file: it is opened once, and its version is settled before a byte is handed out, from that open
     * file (see the class comment's "Streamed reads").
     */
    @Override
    public Optional<StoredStream> open(String key) {
        Path file = resolve(key);
        Pending pending = pending(key);
        if (pending != null) {
            return Optional.of(new StoredStream(key, new java.io.ByteArrayInputStream(pending.data()),
                    pending.version()));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            FileChannel ch = null;
            boolean handedOut = false;
            try {
                Stamp before = stamp(file);
                if (before.fileKey().equals("null")) {
                    return get(key).map(o -> new StoredStream(key, new java.io.ByteArrayInputStream(o.data()),
                            o.version())); // no file identity (Windows): the array path
                }
                ch = FileChannel.open(file, StandardOpenOption.READ);
                if (!before.sameFile(stamp(file))) {
                    continue; // replaced between the stamp and the open: the open file may be the newer one
                }
                // The open channel reads the stamped file's bytes from here on, whatever is renamed over the key.
                FileChannel open = ch;
                Optional<String> known = knownVersion(key, file, before, () -> crc32c(open));
                String version;
                if (known.isPresent()) {
                    version = known.get();
                } else {
                    version = sha256(open);
                    VERSIONS.put(file, before.withVersion(version));
                }
                StoredStream stream = new StoredStream(key, java.nio.channels.Channels.newInputStream(ch), version);
                handedOut = true;
                return Optional.of(stream);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new StateStoreException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
            } finally {
                if (ch != null && !handedOut) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read-only: nothing to lose
                    }
                }
            }
        }
        // replaced three times while being opened: read it whole, as get does
        return get(key).map(o -> new StoredStream(key, new java.io.ByteArrayInputStream(o.data()), o.version()));
    }

    /** Bytes read at a time to check or hash an open file (positional reads: the channel's position stays 0). */
    private static final int READ_SLICE = 64 * 1024;

    private static java.security.MessageDigest newSha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static int crc32c(FileChannel ch) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        readAll(ch, crc::update);
        return (int) crc.getValue();
    }

    private static String sha256(FileChannel ch) throws IOException {
        java.security.MessageDigest sha = newSha256();
        readAll(ch, sha::update);
        return HEX.formatHex(sha.digest());
    }

    private static void readAll(FileChannel ch, java.util.function.Consumer<ByteBuffer> sink) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(READ_SLICE);
        long pos = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n < 0) {
                return;
            }
            pos += n;
            buf.flip();
            sink.accept(buf);
        }
    }

    /**
     * Writes what {@code content} writes straight into the temp file (no array of the whole object), computing its
     * version on the way, then renames it over the target as {@link #put} does, under the same lock and precondition
     * check (made before {@code content} runs, and holding until the rename, since the lock is held throughout). Inside
     * a {@link #group} the bytes are collected and put in the group (its writes are kept until it ends).
     * {@code content} must not write to this store.
     */
    @Override
    public String putStream(String key, Content content, Precondition precondition) {
        Path target = resolve(key);
        Precondition pre = precondition == null ? Precondition.NONE : precondition;
        if (GROUPS.get().get(root) != null) {
            return StateStore.super.putStream(key, content, pre);
        }
        return withLock(() -> {
            check(key, target, pre);
            boolean fileKeys = hasFileKeys();
            Path dir = target.getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
            try {
                TempOut out;
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    out = new TempOut(ch, !fileKeys);
                    java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, WRITE_SLICE);
                    content.writeTo(buffered);
                    buffered.flush();
                    ch.force(true);
                }
                rename(key, tmp, target);
                fsyncDirectory(target.getParent());
                String version = out.version();
                remember(key, target, out.size, version);
                return version;
            } finally {
                Files.deleteIfExists(tmp);
            }
        });
    }

    /**
     * The sink of a streamed write: writes what it is given into the temp file and computes the version
     * {@link #newVersion} gives for the same bytes (a write version from their CRC32C; the SHA-256 for an object under
     * {@link #RECORDED_VERSION_MIN_BYTES} or without file keys). Unbuffered: {@link #putStream} puts a
     * {@link java.io.BufferedOutputStream} of {@link #WRITE_SLICE} bytes in front of it. Closing it does nothing: the
     * store closes the file.
     */
    private static final class TempOut extends java.io.OutputStream {
        private final FileChannel ch;
        private final boolean hashAll;
        private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        private final java.security.MessageDigest sha = newSha256();
        long size;

        TempOut(FileChannel ch, boolean hashAll) {
            this.ch = ch;
            this.hashAll = hashAll;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            crc.update(b, off, len);
            if (hashAll || size < RECORDED_VERSION_MIN_BYTES) {
                sha.update(b, off, len); // only needed while the object may stay small (or without file keys)
            }
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            size += len;
        }

        String version() {
            return size < RECORDED_VERSION_MIN_BYTES || hashAll ? HEX.formatHex(sha.digest())
                    : writeVersion((int) crc.getValue());
        }
    }

    /**
     * Writes {@code data} to a new temp file beside {@code target} and fsyncs it. No per-write sweep of the directory:
     * it listed every entry on every write (15,625 audit segments at 1,000,000 records made an append 5x slower);
     * orphans of a crashed writer are swept by the first write of each process (withLock), which is enough to keep
     * them from piling up.
     */
    private static Path writeTemp(Path target, byte[] data) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // In slices: a heap buffer is copied into a temporary direct buffer as large as what is passed, and the
            // JDK keeps that buffer cached per thread; one write of a whole 18 MB finding history held 18 MB of
            // native memory for the rest of the scan (peak RSS at 10,000 buckets).
            for (int off = 0; off < data.length; off += WRITE_SLICE) {
                ByteBuffer buf = ByteBuffer.wrap(data, off, Math.min(WRITE_SLICE, data.length - off));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        return tmp;
    }

    private void rename(String key, Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StateStoreException(describe() + ": the file system does not support atomic renames;"
                    + " cannot write " + key + " safely", e);
        }
    }

    /** Caches (and for a large object records) the version of the file just renamed to {@code target}. */
    private void remember(String key, Path target, long size, String version) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
        if (attrs.fileKey() != null) {
            Stamp stamp = Stamp.of(attrs).withVersion(version);
            VERSIONS.put(target, stamp);
            if (size >= RECORDED_VERSION_MIN_BYTES) {
                recordVersion(key, stamp);
            } else {
                forgetRecordedVersion(key);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- write groups

    /** A thread's open write group on one state directory: its writes in order, and the lock while it holds it. */
    private static final class Group {
        final java.util.LinkedHashMap<String, Pending> writes = new java.util.LinkedHashMap<>();
        FileChannel lockChannel;
        FileLock fileLock;
    }

    /** A write of an open group: made when the group ends or syncs. */
    private record Pending(String key, Path target, byte[] data, String version) {
    }

    /** The calling thread's pending write of {@code key} in its open group on this directory, or null. */
    private Pending pending(String key) {
        Group group = GROUPS.get().get(root);
        return group == null ? null : group.writes.get(key);
    }

    @Override
    public <T> T group(java.util.function.Supplier<T> work) {
        java.util.Map<Path, Group> open = GROUPS.get();
        if (open.containsKey(root)) {
            return work.get(); // nested: joins the outer group
        }
        Group group = new Group();
        open.put(root, group);
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            // what was written stays written, as it would have without the group
            try {
                commit(group);
            } catch (RuntimeException commitFailed) {
                e.addSuppressed(commitFailed);
            } finally {
                open.remove(root);
            }
            throw e;
        }
        try {
            commit(group);
        } finally {
            open.remove(root);
        }
        return result;
    }

    @Override
    public void sync() {
        Group group = GROUPS.get().get(root);
        if (group != null) {
            commit(group);
        }
    }

    private String putInGroup(Group group, String key, Path target, byte[] data, Precondition pre) {
        lock(group);
        Pending earlier = group.writes.get(key);
        String version;
        try {
            if (earlier == null) {
                check(key, target, pre);
            } else if (pre.kind() == Precondition.Kind.IF_ABSENT) {
                throw new PreconditionFailedException(key, "already exists (IF_ABSENT)");
            } else if (pre.kind() == Precondition.Kind.IF_MATCH && !earlier.version().equals(pre.version())) {
                throw new PreconditionFailedException(key, "changed since it was read (IF_MATCH)");
            }
            version = newVersion(data);
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot write " + key + ": " + reason(e), e);
        }
        // a key written again moves to the end: every prefix of the renames then shows a key's final content only
        // after what was written before it
        group.writes.remove(key);
        group.writes.put(key, new Pending(key, target, data.clone(), version));
        return version;
    }

    /** Takes the store's lock for {@code group} (held until it commits), unless it holds it already. */
    private void lock(Group group) {
        if (group.fileLock != null) {
            return;
        }
        jvmLock.lock();
        try {
            Files.createDirectories(root);
            group.lockChannel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            group.fileLock = group.lockChannel.lock();
            if (!swept) {
                sweepTemps(root);
                swept = true;
            }
        } catch (IOException | RuntimeException e) {
            unlock(group);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new StateStoreException(describe() + ": cannot write (" + reason((IOException) e) + ")", e);
        }
    }

    private void unlock(Group group) {
        try {
            if (group.lockChannel != null) {
                group.lockChannel.close(); // releases the file lock
            }
        } catch (IOException ignored) {
            // closing a lock file cannot lose data; the lock goes with the channel or the process
        } finally {
            group.fileLock = null;
            group.lockChannel = null;
            jvmLock.unlock();
        }
    }

    /**
     * Makes {@code group}'s writes durable and visible, then lets other writers in: every temp file written and fsynced
     * concurrently, the renames in write order, then each distinct directory fsynced once, concurrently.
     */
    private void commit(Group group) {
        if (group.fileLock == null) {
            return; // nothing written since the last commit
        }
        List<Pending> writes = new ArrayList<>(group.writes.values());
        group.writes.clear();
        List<Path> temps = new ArrayList<>(java.util.Collections.nCopies(writes.size(), (Path) null));
        try {
            concurrently(writes.size(), i -> temps.set(i, writeTemp(writes.get(i).target(), writes.get(i).data())));
            for (int i = 0; i < writes.size(); i++) {
                rename(writes.get(i).key(), temps.get(i), writes.get(i).target());
                temps.set(i, null);
            }
            List<Path> dirs = writes.stream().map(w -> w.target().getParent()).distinct().toList();
            concurrently(dirs.size(), i -> fsyncDirectory(dirs.get(i)));
            for (Pending w : writes) {
                remember(w.key(), w.target(), w.data().length, w.version());
            }
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot write " + writes.stream().map(Pending::key).toList()
                    + " (" + reason(e) + ")", e);
        } finally {
            for (Path tmp : temps) {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // swept by the next process's first write
                    }
                }
            }
            unlock(group);
        }
    }

    private interface IndexedIo {
        void run(int index) throws IOException;
    }

    /**
     * Runs {@code action(0..n-1)} at once (one thread each beyond the caller's), and returns when all are done: the
     * fsyncs of a group overlap, so the file system commits them together. Rethrows the first failure.
     */
    private static void concurrently(int n, IndexedIo action) throws IOException {
        if (n == 0) {
            return;
        }
        List<java.util.concurrent.Future<?>> others = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int index = i;
            others.add(FsyncPool.POOL.submit(() -> {
                action.run(index);
                return null;
            }));
        }
        IOException failed = null;
        try {
            action.run(0);
        } catch (IOException e) {
            failed = e;
        }
        boolean interrupted = false;
        for (java.util.concurrent.Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // every action must finish before the caller cleans up its temp files
                } catch (java.util.concurrent.ExecutionException e) {
                    IOException cause = e.getCause() instanceof IOException io ? io
                            : new IOException(String.valueOf(e.getCause()), e.getCause());
                    if (failed == null) {
                        failed = cause;
                    } else {
                        failed.addSuppressed(cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Daemon threads for a group's concurrent fsyncs, made on first use (readers never start them). */
    private static final class FsyncPool {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(
                r -> {
                    Thread t = new Thread(r, "cloudwarden-fsync");
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void delete(String key) {
        Path target = resolve(key);
        sync(); // a group's writes are made before a delete that follows them
        withLock(() -> {
            VERSIONS.remove(target);
            forgetRecordedVersion(key);
            if (Files.deleteIfExists(target)) {
                fsyncDirectory(target.getParent());
            }
            return null;
        });
    }

    /**
     * The version without reading the bytes when the file is the one last written or verified in this JVM, or the one
     * whose SHA-256 a {@code v1} record holds; otherwise the file is read: its recorded write version is verified
     * against the bytes' CRC32C, or the bytes are hashed (see the class comment).
     */
    @Override
    public Optional<String> version(String key) {
        Path file = resolve(key);
        Pending pending = pending(key);
        if (pending != null) {
            return Optional.of(pending.version());
        }
        try {
            Stamp stamp = stamp(file);
            boolean identified = !stamp.fileKey().equals("null");
            if (identified) {
                Optional<String> known = knownVersion(key, file, stamp, null);
                if (known.isPresent()) {
                    return known;
                }
                // checked or hashed from the open file, as a streamed read does: no array of the whole object (the
                // scan asks for the 11 MB base's version first thing)
                Optional<StoredStream> opened = open(key);
                if (opened.isPresent()) {
                    opened.get().close();
                }
                return opened.map(StoredStream::version);
            }
            byte[] data = Files.readAllBytes(file);
            Stamp after = stamp(file);
            if (identified && stamp.sameFile(after)) {
                Optional<String> verified = knownVersion(key, file, stamp, () -> crc32c(data));
                if (verified.isPresent()) {
                    return verified;
                }
            }
            String version = contentVersion(data);
            if (identified && stamp.sameFile(after)) {
                VERSIONS.put(file, stamp.withVersion(version));
            }
            return Optional.of(version);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the versions this JVM cached, as a fresh process starts (for tests). */
    static void forgetCachedVersions() {
        VERSIONS.clear();
    }

    private static Stamp stamp(Path file) throws IOException {
        return Stamp.of(Files.readAttributes(file, BasicFileAttributes.class));
    }

    /**
     * The version of {@code file} as cached in this JVM or recorded beside it, when its identity is still {@code now}.
     * A recorded write version is taken only when {@code data} (the file's bytes, read while it had that identity) has
     * the CRC32C it carries; with {@code data} null it is not taken (the caller reads the bytes and asks again).
     */
    private Optional<String> knownVersion(String key, Path file, Stamp now, CrcOfContent data) throws IOException {
        Stamp cached = VERSIONS.get(file);
        if (cached != null && cached.sameFile(now)) {
            return Optional.of(cached.version());
        }
        if (now.size() < RECORDED_VERSION_MIN_BYTES) {
            return Optional.empty(); // never recorded: hashing it is cheaper than looking
        }
        Optional<Stamp> recorded = recordedVersion(key);
        if (recorded.isEmpty() || !recorded.get().sameFile(now)) {
            return Optional.empty();
        }
        String version = recorded.get().version();
        if (isWriteVersion(version) && (data == null || Integer.parseUnsignedInt(version, 1, 9, 16) != data.crc32c())) {
            return Optional.empty();
        }
        VERSIONS.put(file, recorded.get());
        return Optional.of(version);
    }

    private Path recordPath(String key) {
        return root.resolve(VERSIONS_DIR).resolve(key).normalize();
    }

    /**
     * The version recorded beside {@code key}: {@code v2} (a write version) or {@code v1} (the SHA-256 of the content,
     * written by versions before write versions); empty when none is, or it does not parse (then the file is hashed).
     */
    private Optional<Stamp> recordedVersion(String key) {
        try {
            String[] f = Files.readString(recordPath(key), java.nio.charset.StandardCharsets.UTF_8).split("\t", -1);
            boolean parses = f.length == 5 && (f[0].equals("v2") ? isWriteVersion(f[4])
                    : f[0].equals("v1") && f[4].matches("[0-9a-f]{64}"));
            if (!parses) {
                return Optional.empty();
            }
            return Optional.of(new Stamp(f[1], Long.parseLong(f[2]), java.time.Instant.parse(f[3]), f[4]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent (an older writer, a small object), torn or unreadable: hash instead
        }
    }

    /**
     * Records {@code stamp} (with its version) beside {@code key}, atomically (temp file and rename) but without
     * fsync: a record lost to a crash only costs a hash later. Called under the lock, after the object's rename.
     */
    private void recordVersion(String key, Stamp stamp) {
        Path record = recordPath(key);
        Path tmp = null;
        try {
            Files.createDirectories(record.getParent());
            tmp = record.getParent().resolve(TEMP_PREFIX + UUID.randomUUID() + "-" + record.getFileName());
            String format = isWriteVersion(stamp.version()) ? "v2" : "v1";
            Files.writeString(tmp, format + "\t" + stamp.fileKey() + "\t" + stamp.size() + "\t" + stamp.modified()
                    + "\t" + stamp.version(), java.nio.charset.StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // best effort: without a record the version is computed from the content
            forgetRecordedVersion(key);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // swept by the next process's first write
                }
            }
        }
    }

    /** Drops the record beside {@code key} (it would not match the new file anyway; this keeps the tree tidy). */
    private void forgetRecordedVersion(String key) {
        try {
            Files.deleteIfExists(recordPath(key));
        } catch (IOException e) {
            // a record that stays describes a file that no longer exists: it never matches
        }
    }

    /**
     * What identifies one written file: its file key (inode), size and modification time (as precise as the file
     * system keeps it). A file key can be reused only after its file is gone, and a reused one would also need the
     * same size and time stamp; writes through this JVM refresh the entry anyway (see {@link #put}).
     */
    private record Stamp(String fileKey, long size, java.time.Instant modified, String version) {
        static Stamp of(BasicFileAttributes attrs) {
            return new Stamp(String.valueOf(attrs.fileKey()), attrs.size(), attrs.lastModifiedTime().toInstant(), "");
        }

        boolean sameFile(Stamp other) {
            return fileKey.equals(other.fileKey) && size == other.size && modified.equals(other.modified);
        }

        Stamp withVersion(String v) {
            return new Stamp(fileKey, size, modified, v);
        }
    }

    @Override
    public List<String> list(String prefix) {
        String p = prefix == null ? "" : prefix;
        List<String> keys = new ArrayList<>();
        // Walk only the deepest directory the prefix names (snapshots/updates/ rather than the whole state tree).
        Path start = p.contains("/") ? root.resolve(p.substring(0, p.lastIndexOf('/'))).normalize() : root;
        if (!start.startsWith(root) || !Files.isDirectory(start)) {
            Group group = GROUPS.get().get(root);
            if (group != null) {
                group.writes.keySet().stream().filter(k -> k.startsWith(p)).sorted().forEach(keys::add);
            }
            return keys;
        }
        try {
            // walkFileTree rather than Files.walk: a temp file renamed away by a concurrent writer between the
            // directory read and its attribute read must be skipped, not abort the listing.
            // The key of each file is its directory's key plus its name: one string per file instead of a
            // relativized path, its string and a separator-replaced copy (serve lists the pending updates on every
            // event, so this runs once per pending update per event).
            String relative = root.relativize(start).toString().replace(start.getFileSystem().getSeparator(), "/");
            String startKey = relative.isEmpty() ? "" : relative + "/";
            java.util.ArrayDeque<String> dirKeys = new java.util.ArrayDeque<>();
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(root.resolve(VERSIONS_DIR))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    dirKeys.push(dirKeys.isEmpty() ? startKey : dirKeys.peek() + d.getFileName() + "/");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    dirKeys.pop();
                    return super.postVisitDirectory(d, e);
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String name = f.getFileName().toString();
                    if (attrs.isRegularFile() && !name.startsWith(TEMP_PREFIX)) {
                        String key = dirKeys.peek() + name;
                        if (!key.equals(LOCK_FILE) && key.startsWith(p)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot list " + p + ": " + e.getMessage(), e);
        }
        Group group = GROUPS.get().get(root);
        if (group != null) {
            group.writes.keySet().stream().filter(k -> k.startsWith(p) && !keys.contains(k)).forEach(keys::add);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    /**
     * The version a write of {@code data} gets: a write version for a large object, else its SHA-256. Also the SHA-256
     * where the file system has no file keys (Windows): a write version could not be recorded with the file's
     * identity, and another call would hash the content. Called under the lock (the state directory exists).
     */
    private String newVersion(byte[] data) throws IOException {
        if (data.length < RECORDED_VERSION_MIN_BYTES || !hasFileKeys()) {
            return contentVersion(data);
        }
        return writeVersion(crc32c(data));
    }

    /** A new write version for bytes with the CRC32C {@code crc}: {@code w<crc, 8 hex>-<random 128-bit id, 32 hex>}. */
    private static String writeVersion(int crc) {
        UUID id = UUID.randomUUID();
        return "w" + HEX.toHexDigits(crc) + "-" + HEX.toHexDigits(id.getMostSignificantBits())
                + HEX.toHexDigits(id.getLeastSignificantBits());
    }

    private volatile Boolean fileKeys;

    private boolean hasFileKeys() throws IOException {
        if (fileKeys == null) {
            fileKeys = Files.readAttributes(root, BasicFileAttributes.class).fileKey() != null;
        }
        return fileKeys;
    }

    /** The version of bytes whose write version is not known: their SHA-256. */
    static String contentVersion(byte[] data) {
        return Hashing.sha256Hex(data);
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();
    private static final java.util.regex.Pattern WRITE_VERSION =
            java.util.regex.Pattern.compile("w[0-9a-f]{8}-[0-9a-f]{32}");

    static boolean isWriteVersion(String version) {
        return WRITE_VERSION.matcher(version).matches();
    }

    /** The CRC32C of a file's bytes, computed only when a recorded write version has to be verified. */
    private interface CrcOfContent {
        int crc32c() throws IOException;
    }

    private static int crc32c(byte[] data) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    private void check(String key, Path target, Precondition pre) throws IOException {
        switch (pre.kind()) {
            case NONE -> {
            }
            case IF_ABSENT -> {
                if (Files.exists(target)) {
                    throw new PreconditionFailedException(key, "already exists (IF_ABSENT)");
                }
            }
            case IF_MATCH -> {
                if (!Files.exists(target)) {
                    throw new PreconditionFailedException(key, "does not exist (IF_MATCH " + pre.version() + ")");
                }
                String current = version(key).orElseThrow(() -> new PreconditionFailedException(key,
                        "does not exist (IF_MATCH " + pre.version() + ")"));
                if (!current.equals(pre.version())) {
                    throw new PreconditionFailedException(key, "changed since it was read (IF_MATCH)");
                }
            }
        }
    }

    private Path resolve(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("state key: expected a relative path like 'snapshots/latest.json' "
                    + "but was empty");
        }
        if (key.startsWith("/") || key.contains("\\") || key.contains(":") || key.endsWith("/")) {
            throw new IllegalArgumentException("state key: expected a relative '/'-separated path but was '" + key + "'");
        }
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.startsWith(TEMP_PREFIX)) {
                throw new IllegalArgumentException("state key: segment '" + seg + "' is not allowed in '" + key + "'");
            }
        }
        if (key.equals(LOCK_FILE)) {
            throw new IllegalArgumentException("state key: '" + LOCK_FILE + "' is reserved");
        }
        if (key.equals(VERSIONS_DIR) || key.startsWith(VERSIONS_DIR + "/")) {
            throw new IllegalArgumentException("state key: '" + VERSIONS_DIR + "/' is reserved (recorded versions)");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("state key: '" + key + "' escapes the state directory");
        }
        return p;
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(IoAction<T> action) {
        Group group = GROUPS.get().get(root);
        if (group != null && group.fileLock != null) {
            try {
                return action.run(); // this thread's group holds the lock already
            } catch (IOException e) {
                throw new StateStoreException(describe() + ": cannot write (" + reason(e) + ")", e);
            }
        }
        jvmLock.lock();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            jvmLock.unlock();
            throw new StateStoreException(describe() + ": cannot create the state directory (" + reason(e) + ")", e);
        }
        try (FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (!swept) {
                sweepTemps(root);
                swept = true;
            }
            return action.run();
        } catch (IOException e) {
            throw new StateStoreException(describe() + ": cannot write (" + reason(e) + ")", e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** The file system's reason for a failed operation, with the path it names. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Deletes temp files left by crashed writers. Only called under the lock, when no writer can own them. */
    private static void sweepTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (f.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Makes the rename durable; not every platform can open a directory, which is fine (best effort). */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: Windows cannot open directories; the rename itself is still atomic
        }
    }
}
