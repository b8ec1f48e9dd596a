package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.accounts.Caller;
import io.archfarm.portal.accounts.CallerPrincipal;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Every filter of the build history on 102,000 builds (test resource {@code history/seed-builds.sql}, written by SQL
 * into this context's own database): each search, first page and deep pages, walks an index (no sequential scan of
 * builds or manifest lists in its plan), and what a page costs is printed ({@code [measured]}).
 */
@SpringBootTest(properties = "archfarm.portal.scheduling=false")
@Import(ArchfarmTestServices.class)
class BuildHistoryAtScaleIT {

    private static final UUID BIG = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID SMALL = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private static final int TIMED_RUNS = 15;
    private static boolean seeded;

    @Autowired
    BuildHistory history;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource database;

    @BeforeEach
    void seedOnce() {
        if (!seeded) {
            long started = System.nanoTime();
            new ResourceDatabasePopulator(new ClassPathResource("history/seed-builds.sql")).execute(database);
            System.out.printf(
                    "[measured] seeded %d builds in %d ms%n",
                    jdbc.sql("select count(*) from builds").query(Long.class).single(),
                    (System.nanoTime() - started) / 1_000_000);
            seeded = true;
        }
        Caller admin = new Caller(UUID.randomUUID(), "history-admin", true);
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        (CallerPrincipal) () -> admin, null, List.of()));
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void everySearchWalksAnIndexOnTheFirstPageAndFarBack() {
        String commit = jdbc.sql("select commit_sha from builds where team_id = :big and status = 'SUCCEEDED'"
                        + " order by accepted_seq limit 1 offset 40000")
                .param("big", BIG)
                .query(String.class)
                .single();
        String oldCursor = BuildHistory.cursorAfter(jdbc.sql("select min(accepted_seq) + 300 from builds")
                .query(Long.class)
                .single());
        Map<String, Search> searches = new LinkedHashMap<>();
        searches.put("team, no filter", new Search(BIG, p -> p));
        searches.put("team, 300 builds from the oldest", new Search(BIG, p -> p.with("cursor", oldCursor)));
        searches.put("a small team", new Search(SMALL, p -> p));
        searches.put("an admin, every team", new Search(null, p -> p));
        searches.put("project", new Search(BIG, p -> p.with("project", "hist-big/app-3")));
        searches.put(
                "project, far back",
                new Search(BIG, p -> p.with("project", "hist-big/app-3").with("cursor", oldCursor)));
        searches.put("status RUNNING (rare)", new Search(BIG, p -> p.with("status", "RUNNING")));
        searches.put("status FAILED", new Search(BIG, p -> p.with("status", "FAILED")));
        searches.put("branch main", new Search(BIG, p -> p.with("ref", "main")));
        searches.put("branch feature-3 (rare)", new Search(BIG, p -> p.with("ref", "feature-3")));
        searches.put("tag v9991 (one build)", new Search(BIG, p -> p.with("ref", "refs/tags/v9991")));
        searches.put("commit prefix", new Search(BIG, p -> p.with("commit", commit.substring(0, 8))));
        searches.put("platform linux/s390x", new Search(BIG, p -> p.with("platform", "linux/s390x")));
        searches.put("platform linux/riscv64 (rare)", new Search(BIG, p -> p.with("platform", "linux/riscv64")));
        searches.put("platform nobody builds", new Search(BIG, p -> p.with("platform", "linux/ppc64le")));
        searches.put("trigger UI", new Search(BIG, p -> p.with("trigger", "UI")));
        searches.put("requestedBy bob", new Search(BIG, p -> p.with("requestedBy", "bob")));
        searches.put("requestedBy nobody", new Search(BIG, p -> p.with("requestedBy", "nobody")));
        String monthAgo = LocalDate.now(ZoneOffset.UTC).minusDays(30).toString();
        searches.put(
                "one day, 30 days back",
                new Search(BIG, p -> p.with("since", monthAgo).with("until", monthAgo)));
        searches.put(
                "image tag",
                new Search(
                        BIG,
                        p -> p.with(
                                "image",
                                "registry.example.com/hist/app-" + projectNumberOf(commit) + ":sha-"
                                        + commit.substring(0, 7))));
        searches.put(
                "image digest",
                new Search(
                        BIG,
                        p -> p.with(
                                "image",
                                "registry.example.com/hist/app-" + projectNumberOf(commit) + "@" + digestOf(commit))));

        for (int i = 0; i < 3; i++) { // the first searches of a JVM are slow for reasons of its own (JIT, pools)
            searches.values().forEach(search -> history.search(search.params(), search.scope()));
        }
        List<String> sequentialScans = new ArrayList<>();
        searches.forEach((name, search) -> {
            String plan = history.plan(search.params(), search.scope());
            if (plan.contains("Seq Scan on builds") || plan.contains("Seq Scan on manifest_lists")) {
                sequentialScans.add(name + ":\n" + plan);
            }
            BuildHistory.Page page = history.search(search.params(), search.scope());
            System.out.printf(
                    "[measured] build history at 102,000 builds, %-32s %6.1f ms a page (%d builds, "
                            + "median of %d, the page's views included)%n",
                    name + ":", median(search), page.builds().size(), TIMED_RUNS);
        });
        assertThat(sequentialScans).as("searches that read every build").isEmpty();
        assertThat(history.search(BuildSearchParams.none().with("ref", "refs/tags/v9991"), scope(BIG))
                        .builds())
                .as("the seed is as the searches expect")
                .hasSize(1);
        assertThat(history.search(BuildSearchParams.none().with("commit", commit.substring(0, 8)), scope(BIG))
                        .builds())
                .extracting(BuildView::commit)
                .containsExactly(commit);
    }

    @Test
    void pagingToTheOldestBuildOfATeamSeesEachOnce() {
        BuildSearchParams params = BuildSearchParams.none().with("limit", "500");
        Set<UUID> seen = new HashSet<>();
        long started = System.nanoTime();
        int pages = 0;
        for (BuildHistory.Page page = history.search(params, scope(SMALL));
                ;
                page = history.search(params.with("cursor", page.next()), scope(SMALL))) {
            pages++;
            page.builds()
                    .forEach(build ->
                            assertThat(seen.add(build.id())).as("seen once").isTrue());
            if (page.next() == null) {
                break;
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "[measured] the whole history of a team of 2,040 builds in %d pages of 500: %d ms%n", pages, millis);
        assertThat(seen)
                .hasSize(jdbc.sql("select count(*) from builds where team_id = :t")
                        .param("t", SMALL)
                        .query(Integer.class)
                        .single());
    }

    private double median(Search search) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < TIMED_RUNS; i++) {
            long started = System.nanoTime();
            history.search(search.params(), search.scope());
            nanos.add(System.nanoTime() - started);
        }
        nanos.sort(null);
        return nanos.get(TIMED_RUNS / 2) / 1e6;
    }

    private int projectNumberOf(String commit) {
        return jdbc.sql("select p.slug from builds b join projects p on p.id = b.project_id where b.commit_sha = :c")
                        .param("c", commit)
                        .query(String.class)
                        .single()
                        .charAt("app-".length())
                - '0';
    }

    private String digestOf(String commit) {
        return jdbc.sql("select m.digest from manifest_lists m join builds b on b.id = m.build_id"
                        + " where b.commit_sha = :c")
                .param("c", commit)
                .query(String.class)
                .single();
    }

    private static Optional<Set<UUID>> scope(UUID team) {
        return team == null ? Optional.empty() : Optional.of(Set.of(team));
    }

    /** A search, and the teams it looks in (null: every team, as for an admin). */
    private record Search(UUID team, UnaryOperator<BuildSearchParams> filter) {

        BuildSearchParams params() {
            return filter.apply(BuildSearchParams.none());
        }

        Optional<Set<UUID>> scope() {
            return BuildHistoryAtScaleIT.scope(team);
        }
    }
}
