package io.archfarm.scheduler.manifests;

import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.builds.Build;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one owner of {@code tag_heads}: which build each published tag belongs to. A tag only moves forward, to a build
 * the farm accepted later; each call is its own short transaction, so the merge never holds a lock while the
 * registry answers.
 */
@Component
class TagHeads {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    TagHeads(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The build holding a tag, and the index it pushes there. */
    record Head(UUID buildId, long acceptedSeq, ImageIndex index) {

        boolean isOf(Build build) {
            return buildId.equals(build.id());
        }
    }

    /**
     * Claims {@code tag} of {@code repository} for the build's index unless a build accepted later holds it (the same
     * build claims it again, with the index of its latest merge), and answers the head after the claim: this build's
     * own, or the newer one's.
     */
    Head claim(String repository, String tag, Build build, ImageIndex index) {
        return transactions.execute(status -> {
            jdbc.sql("""
                    insert into tag_heads (repository, tag, build_id, accepted_seq, index_digest, index_content,
                        moved_at)
                    values (:repository, :tag, :build, :seq, :digest, :content, :now)
                    on conflict (repository, tag) do update
                    set build_id = excluded.build_id, accepted_seq = excluded.accepted_seq,
                        index_digest = excluded.index_digest, index_content = excluded.index_content,
                        moved_at = excluded.moved_at
                    where tag_heads.accepted_seq <= excluded.accepted_seq""")
                    .param("repository", repository)
                    .param("tag", tag)
                    .param("build", build.id())
                    .param("seq", build.acceptedSeq())
                    .param("digest", index.digest())
                    .param("content", index.bytes())
                    .param("now", Timestamps.of(clock.instant()))
                    .update();
            return read(repository, tag);
        });
    }

    /** The build holding the tag now. */
    Head read(String repository, String tag) {
        return jdbc.sql("""
                select build_id, accepted_seq, index_digest, index_content from tag_heads
                where repository = :repository and tag = :tag""")
                .param("repository", repository)
                .param("tag", tag)
                .query((rs, n) -> new Head(
                        rs.getObject("build_id", UUID.class),
                        rs.getLong("accepted_seq"),
                        new ImageIndex(rs.getBytes("index_content"), rs.getString("index_digest"), List.of())))
                .single();
    }
}
