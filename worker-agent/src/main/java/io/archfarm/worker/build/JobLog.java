package io.archfarm.worker.build;

import io.archfarm.model.messages.JobLogChunk;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The log of one attempt, sent as {@link JobLogChunk}s numbered from 0: a chunk goes out when 32 KiB have gathered,
 * or when {@link #flushIfDue()} finds the oldest unsent line older than half a second. The job's secret values are
 * replaced with {@code ****} before a chunk leaves: each line on its own as it comes (so cutting a long line never
 * leaves half a value), and a value that spans lines when the chunk is made, holding back a tail that may be the start
 * of one until the next chunk or {@link #flush()}.
 */
public final class JobLog {

    static final int CHUNK_CHARS = 32 * 1024;
    static final Duration FLUSH_AFTER = Duration.ofMillis(500);
    private static final int MAX_LINE_CHARS = 8 * 1024;

    private final UUID jobId;
    private final int attempt;
    private final Consumer<JobLogChunk> sender;
    private final SecretRedaction redaction;
    private final StringBuilder pending = new StringBuilder();
    private long pendingSince;
    private long nextSeq;

    public JobLog(UUID jobId, int attempt, Consumer<JobLogChunk> sender) {
        this(jobId, attempt, sender, SecretRedaction.none());
    }

    public JobLog(UUID jobId, int attempt, Consumer<JobLogChunk> sender, SecretRedaction redaction) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.sender = sender;
        this.redaction = redaction;
    }

    public synchronized void line(String text) {
        if (pending.isEmpty()) {
            pendingSince = System.nanoTime();
        }
        String shown = redaction.redact(text);
        pending.append(shown.length() > MAX_LINE_CHARS ? shown.substring(0, MAX_LINE_CHARS) + " [line cut]" : shown)
                .append('\n');
        if (pending.length() >= CHUNK_CHARS) {
            send(false);
        }
    }

    /** The text with the job's secret values replaced, for what the job reports outside its log (its error). */
    public String redact(String text) {
        return redaction.redact(text);
    }

    public synchronized void flushIfDue() {
        if (!pending.isEmpty() && System.nanoTime() - pendingSince >= FLUSH_AFTER.toNanos()) {
            send(false);
        }
    }

    /** Sends everything gathered, a held-back tail too: the job's output has ended. */
    public synchronized void flush() {
        send(true);
    }

    private void send(boolean complete) {
        if (pending.isEmpty()) {
            return;
        }
        SecretRedaction.Redacted redacted = redaction.isEmpty()
                ? new SecretRedaction.Redacted(pending.toString(), pending.length())
                : redaction.redactAcrossLines(pending, complete);
        pending.delete(0, redacted.consumed());
        if (redacted.text().isEmpty()) {
            return;
        }
        JobLogChunk chunk = new JobLogChunk(UUID.randomUUID(), jobId, attempt, nextSeq, redacted.text());
        nextSeq++;
        sender.accept(chunk);
    }
}
