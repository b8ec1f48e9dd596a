package io.archfarm.worker.build;

import java.util.ArrayList;
import java.util.List;

/**
 * The network one job's RUN steps run in, and how buildah is told so: it wraps the job's {@code buildah build}
 * command. buildah itself (pulling the FROM images) stays in the worker's namespace; only the containers of the RUN
 * steps join the sandbox. buildah's chroot isolation refuses any {@code --network} but the host's, so the level
 * {@code netns} runs RUN steps with OCI isolation through runc (crun refuses this host's hybrid cgroups).
 */
final class NetworkSandbox implements AutoCloseable {

    private final String description;
    private final List<String> isolationOptions;
    private final Runnable removal;

    private NetworkSandbox(String description, List<String> isolationOptions, Runnable removal) {
        this.description = description;
        this.isolationOptions = List.copyOf(isolationOptions);
        this.removal = removal;
    }

    static NetworkSandbox host() {
        return new NetworkSandbox(
                "RUN steps share the worker's network (isolation level host)",
                List.of("--isolation", "chroot"),
                () -> {});
    }

    static NetworkSandbox netns(SandboxAddresses sandbox, RunIsolation isolation, Runnable removal) {
        List<String> options = new ArrayList<>(List.of(
                "--isolation",
                "oci",
                "--runtime",
                isolation.runtime(),
                "--network",
                "ns:/run/netns/" + sandbox.namespace()));
        boolean resolves = isolation.egress() != EgressPolicy.NONE && isolation.resolver() != null;
        // with no resolver buildah would copy the host's resolv.conf, which names the host's own (loopback) one
        options.addAll(List.of("--dns", resolves ? isolation.resolver() : "none"));
        String dns = resolves ? ", DNS " + isolation.resolver() : ", no DNS";
        String address = isolation.egress() == EgressPolicy.NONE ? "" : ", address " + sandbox.jobAddress();
        return new NetworkSandbox(
                "RUN steps run in network namespace " + sandbox.namespace() + address + dns, options, removal);
    }

    /** Says where the RUN steps run, for the job's log. */
    String description() {
        return description;
    }

    /**
     * The build command with the sandbox's isolation options in place of the {@code --isolation chroot} that
     * {@link BuildCommands#build} writes.
     */
    List<String> wrap(List<String> buildCommand) {
        int at = buildCommand.indexOf("--isolation");
        if (at < 0 || at + 1 >= buildCommand.size() || !buildCommand.get(at + 1).equals("chroot")) {
            throw new IllegalArgumentException("not a buildah build command with --isolation chroot: " + buildCommand);
        }
        List<String> wrapped = new ArrayList<>(buildCommand.subList(0, at));
        wrapped.addAll(isolationOptions);
        wrapped.addAll(buildCommand.subList(at + 2, buildCommand.size()));
        return wrapped;
    }

    @Override
    public void close() {
        removal.run();
    }
}
