package io.archfarm.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Builds for a simulated fleet, arriving at a set rate through the portals' REST API ({@code POST /api/v1/builds} of a
 * project's repository at a commit of its own, with a tag of its own) and through signed GitHub push webhooks (a push
 * of a new commit; the project's tag template {@code build-{build}}), spread over the portals in turn. Every commit
 * is new, so every build's index is its own (the index names its commit). Bounded by a count and a time.
 */
final class SimulatedBuilds {

    /** One build asked for: how, when (nanoTime), and its id once the portal accepted it (202). */
    record Submitted(String via, String project, long submittedNanos, long answeredNanos, String buildId, int status) {
        boolean accepted() {
            return status == 202;
        }
    }

    record Project(String slug, String repository, String image, String webhookSecret) {}

    private final Farm farm;
    private final String team;
    private final List<String> platforms;
    private final List<PortalClient> portals;
    private final List<Project> projects = new ArrayList<>();
    private final AtomicInteger apiTags = new AtomicInteger();

    SimulatedBuilds(Farm farm, String team, List<String> platforms, List<PortalClient> portals) {
        this.farm = farm;
        this.team = team;
        this.platforms = platforms;
        this.portals = portals;
    }

    /** The team and {@code count} projects, each with a repository on the farm's git daemon; their image repositories. */
    List<String> createProjects(int count) {
        farm.portal().created("/api/v1/teams", Map.of("slug", team, "name", "Simulated"));
        List<String> repositories = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String slug = "p" + i;
            String repository = farm.git()
                    .createRepository(
                            team + "-" + slug, Map.of("Containerfile", farm.fromBaseImage() + "RUN echo simulated\n"));
            String imageRepository = "sim/" + slug;
            Map<String, Object> project = new LinkedHashMap<>();
            project.put("slug", slug);
            project.put("repository", repository);
            project.put("defaultBranch", "main");
            project.put("platforms", platforms);
            project.put("image", farm.registry() + "/" + imageRepository);
            project.put("tagTemplates", List.of("build-{build}"));
            project.put("branchFilters", List.of("main"));
            JsonNode created = farm.portal().created("/api/v1/teams/" + team + "/projects", project);
            projects.add(new Project(
                    slug,
                    repository,
                    farm.registry() + "/" + imageRepository,
                    created.path("webhookSecret").asString()));
            repositories.add(imageRepository);
        }
        return repositories;
    }

    /**
     * Asks for builds at {@code perSecond} until {@code count} were asked or {@code duration} passed; every
     * {@code webhookEvery}-th through a push webhook (0: none). Returns once every request was answered.
     */
    List<Submitted> submit(double perSecond, int count, Duration duration, int webhookEvery, int clients) {
        List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(
                clients, Thread.ofPlatform().name("sim-submit-", 0).daemon().factory());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                if (due > end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int n = i;
                senders.execute(() -> submitted.add(send(n, webhookEvery > 0 && n % webhookEvery == webhookEvery - 1)));
            }
            senders.shutdown();
            if (!senders.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("build requests still unanswered 2 minutes after the last was sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            senders.shutdownNow();
        }
        return new ArrayList<>(submitted);
    }

    private Submitted send(int n, boolean webhook) {
        Project project = projects.get(n % projects.size());
        PortalClient portal = portals.get(n % portals.size());
        String commit = newCommit();
        long sent = System.nanoTime();
        PortalClient.Answer answer;
        String via;
        if (webhook) {
            via = "webhook";
            GitHubWebhook hook = new GitHubWebhook(
                    portal.baseUrl() + "/hooks/" + team + "/" + project.slug() + "/github", project.webhookSecret());
            answer = hook.deliverPush(
                    UUID.randomUUID().toString(),
                    GitHubWebhook.push("main", newCommit(), commit, "simulated push " + n));
        } else {
            via = "api";
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("team", team);
            request.put("repository", project.repository());
            request.put("ref", commit);
            request.put("platforms", platforms);
            request.put("image", project.image());
            request.put("tags", List.of("api-" + apiTags.incrementAndGet()));
            answer = portal.submit(request);
        }
        long answered = System.nanoTime();
        String id = answer.status() == 202
                ? (webhook
                        ? answer.json().path("build").asString()
                        : answer.json().path("id").asString())
                : null;
        return new Submitted(via, project.slug(), sent, answered, id, answer.status());
    }

    private static String newCommit() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
