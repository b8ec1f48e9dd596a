package io.archfarm.portal.dashboard;

import static io.archfarm.portal.FarmAccounts.expect;
import static io.archfarm.portal.dashboard.PanelHtml.rows;
import static io.archfarm.portal.dashboard.PanelHtml.section;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.testing.ArchfarmTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard of a team, signed in through the form as a browser is, over builds and platform jobs written
 * straight into the tables with known statuses, times and durations (no scheduler runs here).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "archfarm.portal.scheduling=false")
@Import(ArchfarmTestServices.class)
class DashboardIT {

    private static final Duration DAY = Duration.ofDays(1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    FarmAccounts farm;
    String teamA;
    String teamB;
    Instant now;
    BuildRows rows;

    @BeforeEach
    void createTeams() {
        farm = new FarmAccounts(port);
        teamA = farm.team("dash-a");
        teamB = farm.team("dash-b");
        now = Instant.now();
        rows = new BuildRows(jdbc, now);
    }

    /** Team A: 17 builds with the known outcomes and durations below; team B: two builds A must never see. */
    private TeamA seed() {
        UUID a = teamId(teamA);
        // ended in the last 7 days: 6 SUCCEEDED, 1 FAILED today, 1 PARTIAL 3 days ago
        UUID b1 = build(a, "SUCCEEDED", "refs/heads/a-1", ago(DAY.multipliedBy(6)));
        job(b1, "linux/amd64", "SUCCEEDED", "NATIVE", 10);
        job(b1, "linux/arm64", "SUCCEEDED", "EMULATED", 100);
        UUID b2 = build(a, "SUCCEEDED", "refs/heads/a-2", ago(DAY.multipliedBy(5)));
        job(b2, "linux/amd64", "SUCCEEDED", "NATIVE", 20);
        job(b2, "linux/arm64", "SUCCEEDED", "EMULATED", 200);
        UUID b3 = build(a, "SUCCEEDED", "refs/heads/a-3", ago(DAY.multipliedBy(4)));
        job(b3, "linux/amd64", "SUCCEEDED", "NATIVE", 30);
        job(b3, "linux/arm64", "SUCCEEDED", "EMULATED", 300);
        UUID b4 = build(a, "SUCCEEDED", "refs/heads/a-4", ago(DAY.multipliedBy(2)));
        job(b4, "linux/amd64", "SUCCEEDED", "NATIVE", 40);
        job(b4, "linux/arm64", "SUCCEEDED", "NATIVE", 60);
        UUID b5 = build(a, "SUCCEEDED", "refs/heads/a-5", ago(DAY));
        job(b5, "linux/amd64", "SUCCEEDED", "NATIVE", 50);
        UUID b6 = build(a, "SUCCEEDED", "refs/heads/a-6", ago(Duration.ofHours(2)));
        job(b6, "linux/s390x", "SUCCEEDED", "EMULATED", 500);
        UUID failedToday = build(a, "FAILED", "refs/heads/a-failed", ago(Duration.ofMinutes(1)));
        job(failedToday, "linux/arm64", "FAILED", "EMULATED", 999);
        UUID partial = build(a, "PARTIAL", "refs/heads/a-partial", ago(DAY.multipliedBy(3)));
        job(partial, "linux/arm64", "FAILED", "NATIVE", 999);
        // ended 10 days ago: 2 SUCCEEDED, 2 FAILED
        job(
                build(a, "SUCCEEDED", "refs/heads/a-7", ago(DAY.multipliedBy(10))),
                "linux/s390x",
                "SUCCEEDED",
                "EMULATED",
                700);
        job(
                build(a, "SUCCEEDED", "refs/heads/a-8", ago(DAY.multipliedBy(10))),
                "linux/s390x",
                "SUCCEEDED",
                "EMULATED",
                900);
        for (int i = 0; i < 2; i++) {
            job(
                    build(a, "FAILED", "refs/heads/a-old-failure", ago(DAY.multipliedBy(10))),
                    "linux/s390x",
                    "FAILED",
                    "EMULATED",
                    999);
        }
        // ended 40 days ago: outside every window, however long they took
        for (int i = 0; i < 3; i++) {
            job(
                    build(a, "SUCCEEDED", "refs/heads/a-ancient", ago(DAY.multipliedBy(40))),
                    "linux/amd64",
                    "SUCCEEDED",
                    "NATIVE",
                    5000);
        }
        UUID running = build(a, "RUNNING", "refs/heads/a-running", null);
        job(running, "linux/amd64", "RUNNING", "NATIVE", 0);
        job(running, "linux/arm64", "QUEUED", null, 0);
        UUID queued = build(a, "QUEUED", "refs/heads/a-queued", null);
        job(queued, "linux/arm64", "QUEUED", null, 0);
        job(queued, "linux/s390x", "QUEUED", null, 0);

        UUID b = teamId(teamB);
        UUID secret = build(b, "SUCCEEDED", "refs/heads/only-team-b", ago(DAY));
        job(secret, "linux/amd64", "SUCCEEDED", "NATIVE", 7777);
        UUID secretRunning = build(b, "RUNNING", "refs/heads/b-running", null);
        job(secretRunning, "linux/arm64", "QUEUED", null, 0);
        return new TeamA(running, queued, failedToday, List.of(secret, secretRunning));
    }

    record TeamA(UUID running, UUID queued, UUID failedToday, List<UUID> teamBBuilds) {}

    @Test
    void showsTheTeamsBuildsRatesDurationsQueueAndFleet() {
        long queuedArm64 = queuedJobs("linux/arm64");
        long queuedS390x = queuedJobs("linux/s390x");
        long online = workers("ONLINE");
        long draining = workers("DRAINING");
        long offline = workers("OFFLINE");
        TeamA seeded = seed();
        worker("ONLINE");
        worker("ONLINE");
        worker("DRAINING");
        worker("OFFLINE");
        PortalApi member = signedIn(member(teamA));

        Answer page = member.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        String active = section(page.body(), "active-builds");
        assertThat(rows(active))
                .containsExactly(seeded.running().toString(), seeded.queued().toString());
        assertThat(active)
                .contains("data-platform=\"linux/amd64\" data-status=\"RUNNING\"")
                .contains("data-platform=\"linux/s390x\" data-status=\"QUEUED\"")
                .contains("href=\"/builds/" + seeded.running() + "\"")
                .contains("refs/heads/a-running");
        String recent = section(page.body(), "recent-builds");
        assertThat(rows(recent))
                .hasSize(15)
                .startsWith(seeded.queued().toString(), seeded.running().toString())
                .contains(seeded.failedToday().toString());
        assertThat(value(recent, "id=\"failed-today\"")).isEqualTo("1");

        String rates = section(page.body(), "success-rate");
        assertThat(rates)
                .contains("data-window=\"7d\"")
                .contains("data-ended=\"8\" data-succeeded=\"6\"")
                .contains("75 %")
                .contains("6 of 8 ended builds")
                .contains("data-ended=\"12\" data-succeeded=\"8\"")
                .contains("67 %")
                .contains("8 of 12 ended builds");

        String durations = section(page.body(), "durations");
        assertThat(durationRow(durations, "linux/amd64", "NATIVE")).isEqualTo("5 30000 48000 30 s 48 s");
        assertThat(durationRow(durations, "linux/arm64", "NATIVE")).isEqualTo("1 60000 60000 1 min 0 s 1 min 0 s");
        assertThat(durationRow(durations, "linux/arm64", "EMULATED"))
                .isEqualTo("3 200000 290000 3 min 20 s 4 min 50 s");
        assertThat(durationRow(durations, "linux/s390x", "EMULATED"))
                .isEqualTo("3 700000 880000 11 min 40 s 14 min 40 s");
        assertThat(durations).doesNotContain("data-platform=\"linux/amd64\" data-mode=\"EMULATED\"");
        assertThat(count(durations, "<rect class=\"bar-native\"")).isEqualTo(2);
        assertThat(count(durations, "<rect class=\"bar-emulated\"")).isEqualTo(2);
        assertThat(count(durations, "<polyline")).isEqualTo(4);
        assertThat(durations)
                .contains("<svg id=\"median-chart\" class=\"chart\"")
                .contains("<svg id=\"daily-chart\" class=\"chart\"")
                .doesNotContain("<canvas");

        String queue = section(page.body(), "queue-depth");
        assertThat(queueRow(queue, "linux/arm64")).isEqualTo("2 " + (queuedArm64 + 3));
        assertThat(queueRow(queue, "linux/s390x")).isEqualTo("1 " + (queuedS390x + 1));

        String fleet = section(page.body(), "workers-online");
        assertThat(value(fleet, "data-state=\"ONLINE\"")).isEqualTo(String.valueOf(online + 2));
        assertThat(value(fleet, "data-state=\"DRAINING\"")).isEqualTo(String.valueOf(draining + 1));
        assertThat(value(fleet, "data-state=\"OFFLINE\"")).isEqualTo(String.valueOf(offline + 1));
        assertThat(fleet).contains("href=\"/workers\"");

        for (UUID hidden : seeded.teamBBuilds()) {
            assertThat(page.body()).doesNotContain(hidden.toString());
        }
        assertThat(page.body())
                .doesNotContain("only-team-b")
                .doesNotContain("b-running")
                .doesNotContain("7777");
    }

    @Test
    void eachPanelIsServedAloneForItsRefresh() {
        TeamA seeded = seed();
        PortalApi member = signedIn(member(teamA));
        member.get("/");

        for (String panel : List.of("active", "recent", "success-rate", "durations", "queue", "workers")) {
            Answer fragment = member.get("/dashboard/" + panel + "?of=" + teamA);
            assertThat(fragment.status()).as(panel).isEqualTo(200);
            assertThat(fragment.body())
                    .as(panel)
                    .doesNotContain("<html")
                    .contains("hx-get=\"/dashboard/" + panel + "?of=" + teamA + "\"");
        }
        Answer active = member.get("/dashboard/active?of=" + teamA);
        assertThat(active.body()).startsWith("<section id=\"active-builds\"");
        assertThat(rows(active.body()))
                .containsExactly(seeded.running().toString(), seeded.queued().toString());
        assertThat(durationRow(member.get("/dashboard/durations").body(), "linux/amd64", "NATIVE"))
                .isEqualTo("5 30000 48000 30 s 48 s");
    }

    @Test
    void aMemberNeverSeesAnotherTeamsBuildsNotEvenWhenAskingForIt() {
        TeamA seeded = seed();
        PortalApi memberOfA = signedIn(member(teamA));

        for (String path : List.of(
                "/?team=" + teamB,
                "/",
                "/dashboard/active?of=" + teamB,
                "/dashboard/active?team=" + teamB,
                "/dashboard/recent?of=" + teamB,
                "/dashboard/durations?of=" + teamB,
                "/dashboard/success-rate?of=" + teamB,
                "/dashboard/queue?of=" + teamB)) {
            Answer answer = memberOfA.get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            for (UUID hidden : seeded.teamBBuilds()) {
                assertThat(answer.body()).as(path).doesNotContain(hidden.toString());
            }
            assertThat(answer.body())
                    .as(path)
                    .doesNotContain("only-team-b")
                    .doesNotContain("b-running")
                    .doesNotContain("?of=" + teamB + "\"");
        }
        assertThat(memberOfA.get("/?team=" + teamB).body())
                .contains("data-team=\"" + teamA + "\"")
                .contains(seeded.running().toString());

        // what A may not see is there: B's own members see it
        PortalApi memberOfB = signedIn(member(teamB));
        Answer ofB = memberOfB.get("/");
        assertThat(ofB.body())
                .contains("data-team=\"" + teamB + "\"")
                .contains("only-team-b")
                .contains(seeded.teamBBuilds().get(1).toString())
                .doesNotContain(seeded.running().toString());
        assertThat(durationRow(ofB.body(), "linux/amd64", "NATIVE")).startsWith("1 7777000 7777000 ");
    }

    @Test
    void anAdminSeesTheCurrentTeamAndSwitchesTeams() {
        TeamA seeded = seed();
        PortalApi admin = new PortalApi(port).signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);

        assertThat(admin.get("/?team=" + teamA).body())
                .contains("data-team=\"" + teamA + "\"")
                .contains(seeded.running().toString())
                .doesNotContain("only-team-b");
        assertThat(admin.get("/").body()).as("the team is remembered").contains("data-team=\"" + teamA + "\"");
        assertThat(admin.get("/?team=" + teamB).body())
                .contains("data-team=\"" + teamB + "\"")
                .contains("only-team-b")
                .doesNotContain(seeded.running().toString());

        // a dashboard of A left open in another tab refreshes A's panels, and leaves B the current team
        assertThat(rows(admin.get("/dashboard/active?of=" + teamA).body()))
                .containsExactly(seeded.running().toString(), seeded.queued().toString());
        assertThat(admin.get("/").body()).contains("data-team=\"" + teamB + "\"");
    }

    @Test
    void someoneInNoTeamIsToldWhyThereIsNothingToSee() {
        PortalApi loner = signedIn(person());

        Answer page = loner.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body())
                .contains("id=\"no-team\"")
                .contains("not in any team")
                .doesNotContain("id=\"active-builds\"");
        Answer panel = loner.get("/dashboard/active");
        assertThat(panel.status()).isEqualTo(404);
        assertThat(panel.contentType()).startsWith("text/html");
    }

    // ---------------------------------------------------------------- people

    private String person() {
        String username = FarmAccounts.unique("dash");
        expect(
                farm.admin()
                        .post(
                                "/api/v1/users",
                                "{\"username\":\"%s\",\"password\":\"%s\",\"displayName\":\"%s\"}"
                                        .formatted(username, FarmAccounts.PASSWORD, username)),
                201);
        return username;
    }

    private String member(String team) {
        String username = person();
        expect(farm.admin().put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"viewer\"}"), 201);
        return username;
    }

    private PortalApi signedIn(String username) {
        return new PortalApi(port).signIn(username, FarmAccounts.PASSWORD);
    }

    // ---------------------------------------------------------------- rows written as the scheduler would

    private UUID teamId(String slug) {
        return rows.teamId(slug);
    }

    private UUID build(UUID team, String status, String ref, Instant ended) {
        return rows.build(team, status, ref, ended);
    }

    private void job(UUID build, String platform, String status, String mode, long seconds) {
        rows.job(build, platform, status, mode, seconds);
    }

    private void worker(String status) {
        rows.worker(status);
    }

    /** QUEUED jobs of the platform in no queue yet: the table's row without a mode, where the seeded ones count. */
    private long queuedJobs(String platform) {
        return jdbc.sql("""
                        select count(*) from platform_jobs where status = 'QUEUED' and platform = :platform
                          and not dispatched_native and not dispatched_emulated""").param("platform", platform).query(Long.class).single();
    }

    private long workers(String status) {
        return jdbc.sql("select count(*) from workers where status = :status")
                .param("status", status)
                .query(Long.class)
                .single();
    }

    private Instant ago(Duration duration) {
        return now.minus(duration);
    }

    // ---------------------------------------------------------------- reading the HTML

    /** The {@code .value} of the card marked by {@code marker}. */
    private static String value(String html, String marker) {
        Matcher m = Pattern.compile(Pattern.quote(marker) + "[^>]*>\\s*<(?:span|div) class=\"value\">([^<]*)<")
                .matcher(html);
        assertThat(m.find()).as(marker).isTrue();
        return m.group(1);
    }

    /** "jobs median-ms p95-ms median p95" of a platform and mode in the durations table. */
    private static String durationRow(String html, String platform, String mode) {
        Matcher m = Pattern.compile(
                        "<tr data-platform=\"" + Pattern.quote(platform) + "\" data-mode=\"" + mode
                                + "\" data-jobs=\"(\\d+)\" data-median-ms=\"(\\d+)\" data-p95-ms=\"(\\d+)\">.*?"
                                + "class=\"num median\">([^<]*)</td>\\s*<td class=\"num p95\">([^<]*)</td>",
                        Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as(platform + " " + mode + " in the durations").isTrue();
        return String.join(" ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
    }

    /** "team farm" of a platform in the queue table. */
    private static String queueRow(String html, String platform) {
        Matcher m = Pattern.compile(
                        "<tr data-platform=\"" + Pattern.quote(platform) + "\">.*?class=\"num team\">(\\d+)"
                                + "</td>\\s*<td class=\"num farm\">(\\d+)</td>",
                        Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as(platform + " in the queue").isTrue();
        return m.group(1) + " " + m.group(2);
    }

    private static long count(String html, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(html).results().count();
    }
}
