package io.archfarm.e2e;

import static org.awaitility.Awaitility.await;

import io.archfarm.model.Topology;
import io.archfarm.testing.BrokerCleanup;
import io.archfarm.testing.FarmBroker;
import io.archfarm.testing.LocalRegistry;
import io.archfarm.testing.PrivatePostgres;
import io.archfarm.testing.PrivateRabbitNode;
import io.archfarm.testing.RequiredTools;
import io.archfarm.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The whole farm as real processes: a docker-registry and a git daemon on free loopback ports, the portal, the
 * scheduler and the workers started by {@code scripts/farm-part.sh} (as the launcher starts them) on the JVM running
 * the tests, all on a fresh database and a fresh broker prefix of the local PostgreSQL and RabbitMQ. Timings are short
 * so that a lost worker is noticed in seconds. {@link #portal()} calls the API as the farm's admin. {@link #close()}
 * kills every process tree.
 */
final class Farm implements AutoCloseable {

    /**
     * A worker to start: platforms as the worker's properties take them (a list or {@code none}), or
     * {@link #DETECTED} to leave the property unset, so that the worker detects them as it does in a real install.
     */
    record WorkerSpec(String id, String nativePlatforms, String emulatedPlatforms, int slots) {
        static final String DETECTED = "(detected)";
    }

    /** The qemu entries the base image needs (scripts/base-image.sh builds busybox for each) and the farms use. */
    static final List<String> QEMU_ENTRIES = List.of("qemu-aarch64", "qemu-s390x", "qemu-arm", "qemu-ppc64le");

    static final String BASE_IMAGE = "archfarm/busybox";
    /** The admin the portal creates at its first start; the tests call the API as this admin. */
    static final String ADMIN = "admin";

    static final String ADMIN_PASSWORD = "e2e-admin-password";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path root;
    private final Path logDir;
    private final Path workDir;
    private final Map<String, FarmProcess> processes = new LinkedHashMap<>();
    /** How each process was started, so that {@link #restart} starts it again the same way. */
    private final Map<String, Launch> launches = new HashMap<>();
    /** Set for a farm on services of its own ({@link #startOnOwnServices}): a PostgreSQL the test may kill. */
    private PrivatePostgres ownPostgres;

    private boolean ownServices;
    private final Thread shutdownHook = new Thread(this::killAll, "farm-shutdown");
    private final String prefix = TestServices.freshPrefix();
    /** One key for the portal, which seals project secrets, and the scheduler, which opens registry credentials. */
    private final String secretKey = newSecretKey();

    private LocalRegistry registry;
    /** A registry as teams run one: TLS from a CA of its own (in a certs.d the parts are given) and htpasswd logins. */
    private LocalRegistry secured;
    /** Set for a fleet: worker hosts as network namespaces, a broker of the farm's own over TLS, its users. */
    private FleetNetwork fleet;

    private PrivateRabbitNode fleetBroker;
    private FarmBroker fleetUsers;
    /** Set for a farm on a RabbitMQ cluster: every part is given all its nodes' addresses; the farm's own users. */
    private RabbitCluster cluster;

    private FarmBroker clusterUsers;
    private FarmDatabase database;
    private GitServer git;
    private PortalClient portal;

    private Farm(String name) {
        root = repositoryRoot();
        logDir = logDir(name);
        workDir = workDir(name);
    }

    static Farm start(String name, List<WorkerSpec> workers) {
        return start(name, workers, 0, null);
    }

    /**
     * A farm on a RabbitMQ cluster: the scheduler and the workers get every node's address (node 1 first, the one
     * they connect to while it runs) and the farm's own virtual host and users, made on the cluster.
     */
    static Farm startOnCluster(String name, List<WorkerSpec> workers, RabbitCluster cluster) {
        return start(name, workers, 0, cluster);
    }

    /**
     * A farm on services of its own, so that a test may SIGKILL any part and start it again: a PostgreSQL cluster
     * ({@link PrivatePostgres}) and a RabbitMQ node ({@link PrivateRabbitNode}, over TLS as the farm's users) on
     * loopback, beside its own registry, portal, scheduler and workers.
     */
    static Farm startOnOwnServices(String name, List<WorkerSpec> workers) {
        Farm farm = new Farm(name);
        farm.ownServices = true;
        return farm.startOrClose(workers, 0);
    }

    /**
     * A fleet: each worker on a host of its own (a network namespace, {@link FleetNetwork}), reaching the control
     * plane only over its link: a RabbitMQ node of the farm's own over {@code amqps://} as the farm's worker user,
     * the secured registry (TLS from the farm's CA, logins) and the git daemon, all on the control-plane address.
     * {@code spareHosts} more hosts stay empty for {@link #startFleetWorker}.
     */
    static Farm startFleet(String name, List<WorkerSpec> workers, int spareHosts) {
        return start(name, workers, workers.size() + spareHosts, null);
    }

    private static Farm start(String name, List<WorkerSpec> workers, int hosts, RabbitCluster cluster) {
        Farm farm = new Farm(name);
        farm.cluster = cluster;
        return farm.startOrClose(workers, hosts);
    }

    private Farm startOrClose(List<WorkerSpec> workers, int hosts) {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            if (hosts > 0) {
                fleet = FleetNetwork.create(hosts);
            }
            startAll(workers);
            return this;
        } catch (RuntimeException | Error e) {
            if (registry != null || !processes.isEmpty()) {
                System.err.println(logTails());
            }
            close();
            throw e;
        }
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("archfarm.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path logDir(String name) {
        return Path.of(System.getProperty("archfarm.e2e.logs", "target/e2e-logs"))
                .resolve(name);
    }

    static Path workDir(String name) {
        return Path.of(System.getProperty("archfarm.e2e.work", "target/e2e-work"))
                .resolve(name)
                .toAbsolutePath();
    }

    private void startAll(List<WorkerSpec> workers) {
        RequiredTools.require("docker-registry", "git", "buildah", "skopeo");
        RequiredTools.requireEnabledBinfmt(QEMU_ENTRIES.toArray(String[]::new));
        recreate(logDir);
        recreate(workDir);
        // The farm's processes run on this host, so they need the host's services whatever the unit tests use.
        System.err.println("[archfarm e2e] farm processes use the LOCAL PostgreSQL and RabbitMQ (prefix " + prefix
                + "), logs in " + logDir.toAbsolutePath());
        if (ownServices) {
            startOwnPostgres();
        } else {
            database = new FarmDatabase(
                    TestServices.freshLocalDatabase(),
                    TestServices.localPostgresUser(),
                    TestServices.localPostgresPassword());
        }
        TestServices.requireLocalRabbit();

        startRegistry();
        startGitDaemon();
        if (fleet != null || ownServices) {
            startFleetBroker();
        }
        if (cluster != null) {
            clusterUsers = FarmBroker.create(cluster.rabbitmqctl(1), new Topology(prefix));
        }
        startPortal();
        startScheduler();
        for (int i = 0; i < workers.size(); i++) {
            if (fleet == null) {
                startWorker(workers.get(i));
            } else {
                startFleetWorker(workers.get(i), i + 1, fleetUsers.worker().password());
            }
        }
        for (WorkerSpec worker : workers) {
            awaitHealthy("worker-" + worker.id(), () -> portal.workerOnline(worker.id()));
        }
    }

    private void startRegistry() {
        try {
            registry = LocalRegistry.start(workDir.resolve("registry"), logDir.resolve("registry.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
        pushBaseImage(registry.address(), logDir);
        try {
            secured = LocalRegistry.startSecured("robot", "robot-" + UUID.randomUUID(), controlAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the secured docker-registry", e);
        }
        if (fleet != null) {
            copyBaseImageToSecured();
        }
    }

    /**
     * Copies the base image into the secured registry too, under the robot's login: a fleet's hosts reach only that
     * one (a fleet does this at its start), and a build that pulls its {@code FROM} image there uses the login.
     */
    void copyBaseImageToSecured() {
        LocalRegistry.Security security = secured.security();
        FarmProcess copy = FarmProcess.start(
                "base-image-copy",
                List.of(
                        "skopeo",
                        "copy",
                        "--all",
                        "--src-tls-verify=false",
                        "--dest-cert-dir",
                        security.certsDir().resolve(secured.address()).toString(),
                        "--dest-authfile",
                        securedAuthFile().toString(),
                        "docker://" + registry.address() + "/" + BASE_IMAGE,
                        "docker://" + secured.address() + "/" + BASE_IMAGE),
                Map.of(),
                logDir);
        copy.awaitSuccess(300);
    }

    private Path securedAuthFile() {
        Path file = workDir.resolve("secured-auth.json");
        try {
            String auth = Base64.getEncoder()
                    .encodeToString((secured.security().username() + ":"
                                    + secured.security().password())
                            .getBytes(StandardCharsets.UTF_8));
            Files.writeString(file, "{\"auths\":{\"" + secured.address() + "\":{\"auth\":\"" + auth + "\"}}}");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startOwnPostgres() {
        try {
            ownPostgres = PrivatePostgres.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the farm's own PostgreSQL", e);
        }
        ownPostgres.createDatabase("archfarm");
        database = new FarmDatabase(ownPostgres.jdbcUrl("archfarm"), "postgres", "");
    }

    private void startFleetBroker() {
        try {
            fleetBroker = PrivateRabbitNode.start(controlAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fleet's RabbitMQ node", e);
        }
        fleetUsers = FarmBroker.create(fleetBroker.rabbitmqctl(), new Topology(prefix));
    }

    /** Where the control plane listens for the workers: the fleet's bridge, or loopback. */
    String controlAddress() {
        return fleet == null ? "127.0.0.1" : fleet.controlAddress();
    }

    /** Pushes the farm's multi-arch busybox with scripts/base-image.sh; fails with the script's output. */
    static void pushBaseImage(String registry, Path logDir) {
        FarmProcess script = FarmProcess.start(
                "base-image",
                List.of(repositoryRoot().resolve("scripts/base-image.sh").toString(), registry, BASE_IMAGE),
                Map.of(),
                logDir);
        script.awaitSuccess(600);
    }

    private void startGitDaemon() {
        git = new GitServer(workDir.resolve("git"), controlAddress(), FreePorts.next());
        try {
            Files.createDirectories(workDir.resolve("git"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start("git-daemon", git.daemonCommand(), Map.of());
        awaitHealthy("git-daemon", () -> FreePorts.listening(git.address(), git.port()));
    }

    /**
     * The portal as an operator starts it: its own secret key, the admin's password from the environment, the loopback
     * git daemon and registries allow-listed (internal hosts are refused otherwise) and its public URL, the base of
     * webhook URLs.
     */
    private void startPortal() {
        portal = startPortal("portal");
    }

    /**
     * One more portal on the same database, broker and key, as a second instance behind a load balancer is; the
     * admin signed in on it. {@code name} names its process and log.
     */
    PortalClient startAnotherPortal(String name) {
        return startPortal(name);
    }

    private PortalClient startPortal(String name) {
        int port = FreePorts.next();
        String baseUrl = "http://127.0.0.1:" + port;
        Map<String, String> env = serviceEnv(port);
        env.put("ARCHFARM_SECURITY_SECRET_KEY", secretKey);
        env.put("ARCHFARM_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put(
                "ARCHFARM_SECURITY_ADMIN_PASSWORD_FILE",
                workDir.resolve("admin-password").toString());
        env.putAll(allowedHosts());
        env.put("ARCHFARM_PORTAL_PUBLIC_URL", baseUrl);
        start(name, partCommand("portal"), env);
        awaitHealthy(name, () -> PortalClient.serviceHealthy(baseUrl));
        return PortalClient.signIn(baseUrl, ADMIN, ADMIN_PASSWORD);
    }

    /**
     * The internal hosts this farm's repositories, submodules and images name: its git daemon and registries (the
     * tests start more of them, on other ports) are on loopback or the control-plane address. The portal and every
     * worker get the same, as the launcher does it; each worker checks them again itself.
     */
    private Map<String, String> allowedHosts() {
        String hosts = "127.0.0.1,localhost," + controlAddress();
        return Map.of("ARCHFARM_GIT_ALLOWED_HOSTS", hosts, "ARCHFARM_REGISTRY_ALLOWED_HOSTS", hosts);
    }

    /** Base64 of 32 random bytes, as {@code head -c 32 /dev/urandom | base64} gives it. */
    private static String newSecretKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private void startScheduler() {
        startScheduler("scheduler");
    }

    /** One more scheduler on the same database and broker, active beside the first: they share the work. */
    void startAnotherScheduler(String name) {
        startScheduler(name);
    }

    private void startScheduler(String name) {
        int port = FreePorts.next();
        Map<String, String> env = serviceEnv(port);
        if (fleetBroker != null) {
            env.putAll(fleetBrokerEnv(fleetUsers.scheduler()));
        } else if (cluster != null) {
            env.putAll(clusterBrokerEnv(clusterUsers.scheduler()));
        } else {
            env.put("SPRING_RABBITMQ_ADDRESSES", amqpAddress());
        }
        env.put("ARCHFARM_REGISTRY_INSECURE", registry());
        // the key the portal seals projects' registry credentials with
        env.put("ARCHFARM_SECURITY_SECRET_KEY", secretKey);
        env.put("ARCHFARM_REGISTRY_CERTS_DIRS", secured.security().certsDir().toString());
        env.put("ARCHFARM_SCHEDULER_HEARTBEAT_TIMEOUT", "6s");
        env.put("ARCHFARM_SCHEDULER_TICK", "500ms");
        start(name, partCommand("scheduler"), env);
        awaitHealthy(name, () -> PortalClient.serviceHealthy("http://127.0.0.1:" + port));
    }

    private void startWorker(WorkerSpec worker) {
        Map<String, String> env = workerEnv(worker);
        if (fleetBroker != null) {
            env.putAll(fleetBrokerEnv(fleetUsers.worker()));
        } else if (cluster == null) {
            env.put("SPRING_RABBITMQ_ADDRESSES", amqpAddress());
        } else {
            env.putAll(clusterBrokerEnv(clusterUsers.worker()));
        }
        env.put("ARCHFARM_REGISTRY_INSECURE", registry());
        // health, info and metrics on a port of its own, on loopback (a fleet's workers on hosts of their own get none)
        env.put("ARCHFARM_WORKER_MANAGEMENT_PORT", Integer.toString(FreePorts.next()));
        start("worker-" + worker.id(), partCommand("worker"), env);
    }

    /**
     * Starts a worker on fleet host {@code host} (1-based) as the farm's worker user with {@code brokerPassword}: the
     * real one, or a wrong one to see a worker refused.
     */
    void startFleetWorker(WorkerSpec worker, int host, String brokerPassword) {
        Map<String, String> env = workerEnv(worker);
        env.putAll(fleetBrokerEnv(new FarmBroker.Login(fleetUsers.worker().username(), brokerPassword)));
        start("worker-" + worker.id(), fleet.inHost(host, partCommand("worker")), env);
    }

    /** What every worker of this farm is given, whatever its broker: the spec, short timings, the registries' CAs. */
    private Map<String, String> workerEnv(WorkerSpec worker) {
        Map<String, String> env = new HashMap<>();
        env.put("ARCHFARM_TOPOLOGY_PREFIX", prefix);
        env.put("ARCHFARM_REGISTRY_CERTS_DIR", secured.security().certsDir().toString());
        env.put("ARCHFARM_WORKER_ID", worker.id());
        putUnlessDetected(env, "ARCHFARM_WORKER_NATIVE_PLATFORMS", worker.nativePlatforms());
        putUnlessDetected(env, "ARCHFARM_WORKER_EMULATED_PLATFORMS", worker.emulatedPlatforms());
        env.put("ARCHFARM_WORKER_SLOTS", Integer.toString(worker.slots()));
        env.put(
                "ARCHFARM_WORKER_WORK_DIR",
                workDir.resolve("workers").resolve(worker.id()).toString());
        env.put("ARCHFARM_WORKER_HEARTBEAT_INTERVAL", "1s");
        env.putAll(allowedHosts());
        return env;
    }

    private Map<String, String> fleetBrokerEnv(FarmBroker.Login login) {
        return Map.of(
                "SPRING_RABBITMQ_ADDRESSES",
                "amqps://" + fleetBroker.address() + ":" + fleetBroker.amqpsPort(),
                "SPRING_RABBITMQ_VIRTUAL_HOST",
                fleetUsers.virtualHost(),
                "SPRING_RABBITMQ_USERNAME",
                login.username(),
                "SPRING_RABBITMQ_PASSWORD",
                login.password(),
                "SPRING_RABBITMQ_SSL_BUNDLE",
                "broker",
                "SPRING_SSL_BUNDLE_PEM_BROKER_TRUSTSTORE_CERTIFICATE",
                "file:" + fleetBroker.caCertificate());
    }

    private Map<String, String> clusterBrokerEnv(FarmBroker.Login login) {
        return Map.of(
                "SPRING_RABBITMQ_ADDRESSES",
                cluster.addresses(),
                "SPRING_RABBITMQ_VIRTUAL_HOST",
                clusterUsers.virtualHost(),
                "SPRING_RABBITMQ_USERNAME",
                login.username(),
                "SPRING_RABBITMQ_PASSWORD",
                login.password());
    }

    /** The farm's virtual host and users on its RabbitMQ cluster ({@link #startOnCluster}). */
    FarmBroker clusterUsers() {
        return clusterUsers;
    }

    FleetNetwork fleet() {
        return fleet;
    }

    PrivateRabbitNode fleetBroker() {
        return fleetBroker;
    }

    FarmBroker fleetUsers() {
        return fleetUsers;
    }

    private static void putUnlessDetected(Map<String, String> env, String name, String platforms) {
        if (!platforms.equals(WorkerSpec.DETECTED)) {
            env.put(name, platforms);
        }
    }

    /**
     * Where a part of the farm serves its actuator endpoints ({@code portal}, {@code scheduler}, {@code worker-<id>}):
     * a service's port, a worker's management port.
     */
    String actuatorBase(String name) {
        Launch launch = launches.get(name);
        String port = launch == null
                ? null
                : launch.env().getOrDefault("SERVER_PORT", launch.env().get("ARCHFARM_WORKER_MANAGEMENT_PORT"));
        if (port == null) {
            throw new IllegalArgumentException(name + " has no HTTP port; the farm's parts are " + launches.keySet());
        }
        return "http://127.0.0.1:" + port;
    }

    private Map<String, String> serviceEnv(int port) {
        Map<String, String> env = new HashMap<>();
        // the gauges read from PostgreSQL follow a test's builds within a second or two
        env.put("ARCHFARM_METRICS_DATABASE_REFRESH", "1s");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SPRING_DATASOURCE_URL", database.url());
        env.put("SPRING_DATASOURCE_USERNAME", database.user());
        env.put("SPRING_DATASOURCE_PASSWORD", database.password());
        env.put("ARCHFARM_TOPOLOGY_PREFIX", prefix);
        return env;
    }

    private static String amqpAddress() {
        return "amqp://" + TestServices.localAmqpUser() + ":" + TestServices.localAmqpPassword() + "@"
                + TestServices.localAmqpHost() + ":" + TestServices.localAmqpPort();
    }

    /**
     * The JVM options of the farm's processes as {@code -Darchfarm.farm.java-opts} sets them (the control-plane
     * benchmark measures with the JIT's full tiers and larger heaps, as a fleet's control plane runs), or empty for
     * the defaults of {@code scripts/farm-part.sh}, the launcher's.
     */
    static String javaOpts() {
        return System.getProperty("archfarm.farm.java-opts", "").strip();
    }

    /**
     * How a part of the farm ({@code portal}, {@code scheduler}, {@code worker}) is started: by the launcher's own
     * {@code scripts/farm-part.sh}, which picks the jar and the JVM options and execs the JVM (the process is the
     * JVM). {@link #start} gives it the JVM running the tests.
     */
    private List<String> partCommand(String part) {
        return List.of(root.resolve("scripts/farm-part.sh").toString(), part);
    }

    private void start(String name, List<String> command, Map<String, String> env) {
        Map<String, String> withJvm = new HashMap<>(env);
        withJvm.put("JAVA_HOME", System.getProperty("java.home"));
        if (!javaOpts().isEmpty()) {
            withJvm.put("ARCHFARM_JAVA_OPTS", javaOpts());
        }
        launches.put(name, new Launch(command, Map.copyOf(env)));
        processes.put(name, FarmProcess.start(name, command, withJvm, logDir));
    }

    private record Launch(List<String> command, Map<String, String> env) {}

    /**
     * Starts a process this farm started before, and that has died or was killed, again the same way (same port,
     * same settings; its log goes on in the same file), and waits until it is healthy: a service answers its health
     * check, a worker is ONLINE on the portal.
     */
    void restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null || process(name).isAlive()) {
            throw new IllegalStateException(name + " was never started, or still runs");
        }
        start(name, launch.command(), launch.env());
        if (name.startsWith("worker-")) {
            awaitHealthy(name, () -> portal.workerOnline(name.substring("worker-".length())));
        } else {
            awaitHealthy(
                    name,
                    () -> PortalClient.serviceHealthy(
                            "http://127.0.0.1:" + launch.env().get("SERVER_PORT")));
        }
    }

    /** The farm's own PostgreSQL ({@link #startOnOwnServices} only). */
    PrivatePostgres ownPostgres() {
        return requireOwn(ownPostgres);
    }

    /** The farm's own RabbitMQ node ({@link #startOnOwnServices} and fleets). */
    PrivateRabbitNode ownBroker() {
        return requireOwn(fleetBroker);
    }

    /** The plain registry the farm pushes to, to kill and restart. */
    LocalRegistry plainRegistry() {
        return registry;
    }

    private static <T> T requireOwn(T service) {
        if (service == null) {
            throw new IllegalStateException("this farm runs on the machine's shared services: start it with "
                    + "Farm.startOnOwnServices to kill them");
        }
        return service;
    }

    private void awaitHealthy(String name, Callable<Boolean> check) {
        FarmProcess process = processes.get(name);
        try {
            await(name + " healthy")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast(name + " exited", () -> process != null && !process.isAlive())
                    .ignoreExceptions()
                    .until(check);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(
                    name + " did not become healthy (" + e.getMessage() + "); end of its log:\n"
                            + (process == null ? "(no process)" : process.tail(40)),
                    e);
        }
    }

    String registry() {
        return registry.address();
    }

    RegistryClient registryClient() {
        return new RegistryClient(registry());
    }

    /** The registry with TLS and logins (user {@code robot}); the parts trust its CA through their certs.d. */
    LocalRegistry securedRegistry() {
        return secured;
    }

    PortalClient portal() {
        return portal;
    }

    GitServer git() {
        return git;
    }

    FarmDatabase database() {
        return database;
    }

    FarmProcess process(String name) {
        FarmProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no farm process '" + name + "'; there are " + processes.keySet());
        }
        return process;
    }

    /** A Containerfile's first line: the farm's own multi-arch busybox. */
    String fromBaseImage() {
        return "FROM " + (fleet == null ? registry() : secured.address()) + "/" + BASE_IMAGE + "\n";
    }

    String logTails() {
        Stream<String> registryTail = registry == null
                ? Stream.empty()
                : Stream.of("----- registry: " + registry.log() + "\n" + FarmProcess.tail(registry.log(), 40));
        return Stream.concat(
                        registryTail,
                        processes.values().stream()
                                .map(p -> "----- " + p.name() + (p.isAlive() ? "" : " (exited)") + ": " + p.log() + "\n"
                                        + p.tail(40)))
                .collect(Collectors.joining("\n", "===== farm logs (tails) =====\n", "\n====="));
    }

    private void killAll() {
        List<FarmProcess> reversed = new ArrayList<>(processes.values());
        Collections.reverse(reversed);
        reversed.forEach(FarmProcess::kill);
        unmountUnder(workDir);
        if (registry != null) {
            registry.close();
        }
        if (secured != null) {
            secured.close();
        }
        if (fleetUsers != null) {
            fleetUsers.close();
        }
        if (clusterUsers != null) {
            clusterUsers.close();
            clusterUsers = null;
        }
        if (fleetBroker != null) {
            fleetBroker.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (ownPostgres != null) {
            ownPostgres.close();
        }
    }

    @Override
    public void close() {
        killAll();
        BrokerCleanup.deleteAll(prefix);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    /**
     * A worker killed mid-build (as the loss tests do) leaves its working container's overlay mounted in its store:
     * unmounted here, deepest first, so that the farm's directory can be deleted and no mount outlives the test.
     */
    private void unmountUnder(Path dir) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(point -> point.startsWith(dir + "/"))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            System.err.println("[archfarm e2e] cannot read /proc/mounts: " + e);
            return;
        }
        for (String point : mounts) {
            try {
                FarmProcess.start("umount", List.of("umount", "--lazy", point), Map.of(), logDir)
                        .awaitSuccess(30);
            } catch (RuntimeException e) {
                System.err.println("[archfarm e2e] cannot unmount " + point + ": " + e.getMessage());
            }
        }
    }

    private static void recreate(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** The broker prefix of this farm's exchanges and queues, for clients that speak the protocol themselves. */
    String prefix() {
        return prefix;
    }

    /** The process ids of the farm's parts by name (portal, scheduler, …), for the CPU they used. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, process) -> pids.put(name, process.pid()));
        return pids;
    }
}
