package io.archfarm.worker.build;

import io.archfarm.model.messages.JobLogChunk;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The log of one attempt, sent as {@link JobLogChunk}s numbered from 0: a chunk goes out when 32 KiB have gathered,
 * or when {@link #flushIfDue()} finds the oldest unsent line older than half a second.
 */
public final class JobLog {

    static final int CHUNK_CHARS = 32 * 1024;
    static final Duration FLUSH_AFTER = Duration.ofMillis(500);
    private static final int MAX_LINE_CHARS = 8 * 1024;

    private final UUID jobId;
    private final int attempt;
    private final Consumer<JobLogChunk> sender;
    private final StringBuilder pending = new StringBuilder();
    private long pendingSince;
    private long nextSeq;

    public JobLog(UUID jobId, int attempt, Consumer<JobLogChunk> sender) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.sender = sender;
    }

    public synchronized void line(String text) {
        if (pending.isEmpty()) {
            pendingSince = System.nanoTime();
        }
        pending.append(text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + " [line cut]" : text)
                .append('\n');
        if (pending.length() >= CHUNK_CHARS) {
            flush();
        }
    }

    public synchronized void flushIfDue() {
        if (!pending.isEmpty() && System.nanoTime() - pendingSince >= FLUSH_AFTER.toNanos()) {
            flush();
        }
    }

    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        JobLogChunk chunk = new JobLogChunk(UUID.randomUUID(), jobId, attempt, nextSeq, pending.toString());
        pending.setLength(0);
        nextSeq++;
        sender.accept(chunk);
    }
}
