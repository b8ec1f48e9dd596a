package io.archfarm.worker;

import io.archfarm.model.messages.WorkerTools;
import io.archfarm.model.metrics.ErrorKind;
import io.archfarm.model.registry.AuthFiles;
import io.archfarm.worker.build.BuildSettings;
import io.archfarm.worker.build.JobRunner;
import io.archfarm.worker.build.PartError;
import io.archfarm.worker.build.RegistriesConf;
import io.archfarm.worker.build.RunIsolation;
import io.archfarm.worker.build.StorageDriver;
import io.archfarm.worker.build.StorageDriverDetection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails.Address;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns the worker's properties into what it is (identity, capabilities) and what it builds with. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerConfiguration.class);

    @Bean
    WorkerIdentity workerIdentity(WorkerProperties properties) {
        String host = hostName();
        String id = properties.id() != null
                ? properties.id()
                : host + "-" + ProcessHandle.current().pid();
        return new WorkerIdentity(id, host);
    }

    @Bean
    Capabilities capabilities(WorkerProperties properties, WorkerIdentity identity) {
        Capabilities capabilities = CapabilityDetection.of(properties);
        LOG.info(
                "worker {} builds natively {}, emulated {}, {} job(s) at once",
                identity.id(),
                capabilities.nativeNames(),
                capabilities.emulatedNames(),
                capabilities.slots());
        if (capabilities.nativePlatforms().isEmpty()
                && capabilities.emulatedPlatforms().isEmpty()) {
            LOG.warn("worker {} can build no platform: it will only send heartbeats", identity.id());
        }
        return capabilities;
    }

    @Bean
    BuildSettings buildSettings(
            WorkerProperties worker, GitProperties git, RegistryProperties registry, WorkerIdentity identity)
            throws IOException {
        Path workDir = worker.workDir() != null ? worker.workDir() : Path.of("/var/lib/archfarm/worker", identity.id());
        Path storageRoot = worker.storageRoot() != null ? worker.storageRoot() : workDir.resolve("storage");
        Path containersHome = workDir.resolve("containers-home");
        RegistriesConf.write(containersHome, registry.insecure());
        Path authFile = AuthFiles.locate(registry.authFile(), System.getenv(), Path.of(System.getProperty("user.home")))
                .orElse(null);
        LOG.info(
                "work directory {}, buildah storage {}, plain-http registries {}, auth file {}, certs.d {}",
                workDir,
                storageRoot,
                registry.insecure(),
                authFile == null ? "none" : authFile,
                registry.certsDir() == null ? "/etc/containers/certs.d" : registry.certsDir());
        LOG.info(
                "git cache {}",
                git.cacheEnabled()
                        ? "under " + workDir.resolve("git-cache") + ", at most " + git.cacheMaxSize()
                        : "off (archfarm.git.cache-enabled=false)");
        StorageDriver driver = StorageDriverDetection.choose(worker.storageDriver(), storageRoot);
        LOG.info(
                "image stores use the {} storage driver (archfarm.worker.storage-driver={})",
                driver.flag(),
                worker.storageDriver());
        LOG.info(
                "internal hosts allowed: git {}, registries {} (and the plain-http ones)",
                git.allowedHosts(),
                registry.allowedHosts());
        LOG.info(
                "image stores per team and platform under {}, at most {} together "
                        + "(archfarm.worker.layer-cache-max-size)",
                storageRoot,
                worker.layerCacheMaxSize());
        return new BuildSettings(
                identity.id(),
                workDir,
                storageRoot,
                git.timeout(),
                git.allowFileUrls(),
                git.allowFileSubmodules(),
                registry.insecure(),
                containersHome,
                authFile,
                registry.certsDir(),
                git.allowedHosts(),
                registry.allowedHosts(),
                git.cacheEnabled() ? Math.max(1, git.cacheMaxSize().toBytes()) : 0,
                driver,
                worker.layerCacheMaxSize().toBytes());
    }

    /** The versions the worker builds with, asked once; a heartbeat and a claim carry them as they are. */
    @Bean
    WorkerTools workerTools(Capabilities capabilities, WorkerProperties properties, BuildSettings settings) {
        WorkerTools tools = ToolDetection.detect(
                capabilities.emulatedPlatforms(),
                properties.binfmtDir(),
                settings.storageDriver().flag());
        LOG.info(
                "tools: kernel {}, buildah {}, skopeo {}, qemu {}, storage driver {}",
                tools.kernel(),
                tools.buildah(),
                tools.skopeo(),
                tools.qemu(),
                tools.storageDriver());
        return tools;
    }

    /** The operator's policy, with the broker and the plain-http registries added to what no job may reach. */
    @Bean
    RunIsolation runIsolation(
            IsolationProperties properties, RabbitConnectionDetails broker, RegistryProperties registry) {
        List<String> farm = new ArrayList<>(
                broker.getAddresses().stream().map(Address::host).toList());
        farm.addAll(registry.insecure());
        List<String> deny = new ArrayList<>(properties.deny());
        deny.addAll(FarmAddresses.of(farm));
        return new RunIsolation(
                properties.level(),
                properties.egress(),
                properties.resolver(),
                properties.allow(),
                properties.allowPrivate(),
                deny,
                properties.sandboxSubnet(),
                properties.runtime(),
                properties.lockDir());
    }

    /** The runner, counting each job's failure on the way to a registry or a git server by kind. */
    @Bean
    JobRunner jobRunner(BuildSettings settings, RunIsolation isolation, MeterRegistry metrics) {
        for (String part : List.of(PartError.REGISTRY, PartError.GIT)) {
            for (ErrorKind kind : ErrorKind.values()) {
                // every kind from the start at 0, so that a dashboard's rate() has a series before the first error
                errors(metrics, new PartError(part, kind));
            }
        }
        return new JobRunner(
                settings, isolation, error -> errors(metrics, error).increment());
    }

    private static Counter errors(MeterRegistry metrics, PartError error) {
        return Counter.builder(error.metric())
                .description("jobs' failures on the way to a " + error.part() + ", by kind")
                .tag("kind", error.kind().tag())
                .register(metrics);
    }

    @Bean
    MessageConverter messageConverter() {
        return new JacksonJsonMessageConverter("io.archfarm.model.messages");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
