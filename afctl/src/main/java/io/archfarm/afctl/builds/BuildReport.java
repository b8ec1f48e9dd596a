package io.archfarm.afctl.builds;

import io.archfarm.afctl.text.Table;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * A build's outcome as people read it: what failed, and the manifest list it published, like
 * {@code podman manifest inspect} shows one (each entry's platform, digest, size and media type) with what only the
 * farm knows beside it: whether each platform was built NATIVE or EMULATED, and on which worker.
 */
final class BuildReport {

    private BuildReport() {}

    /** Each platform that did not succeed with the first line of its error, and the build's own error. */
    static void failures(PrintWriter out, Build build) {
        for (Build.PlatformJob job : build.platforms()) {
            if (!"SUCCEEDED".equals(job.status())) {
                out.println(job.platform() + " " + job.status()
                        + job.errorSummary().map(e -> ": " + e).orElse(""));
            }
        }
        if (build.error() != null) {
            String summary = build.error().lines().findFirst().orElse(build.error());
            if (build.platforms().stream()
                    .noneMatch(job -> job.errorSummary().filter(summary::equals).isPresent())) {
                out.println("error: " + summary);
            }
        }
        out.flush();
    }

    /**
     * The manifest list: digest, media type, tagged references, then an entry per platform; with
     * {@code entryMediaTypes} each entry's media type too (wider than a terminal, so only {@code inspect} shows it).
     */
    static void manifestList(PrintWriter out, Build build, boolean entryMediaTypes) {
        Build.ManifestList list = build.manifestList();
        if (list == null) {
            out.println("No manifest list was published.");
            return;
        }
        out.println("Manifest list " + list.digest());
        out.println("  media type  " + list.mediaType());
        for (String reference : references(build, list)) {
            out.println("  tag         " + reference);
        }
        Table entries = entryMediaTypes
                ? new Table("PLATFORM", "DIGEST", "SIZE", "MEDIA TYPE", "MODE", "WORKER")
                : new Table("PLATFORM", "DIGEST", "SIZE", "MODE", "WORKER");
        for (Build.Entry entry : list.entries()) {
            Optional<Build.PlatformJob> job = build.platform(entry.platform());
            String mode = job.map(Build.PlatformJob::mode).orElse(null);
            String worker = job.map(Build.PlatformJob::worker).orElse(null);
            if (entryMediaTypes) {
                entries.row(entry.platform(), entry.digest(), entry.size(), entry.mediaType(), mode, worker);
            } else {
                entries.row(entry.platform(), entry.digest(), entry.size(), mode, worker);
            }
        }
        out.print(entries.render().indent(2));
        out.flush();
    }

    /** {@code registry/repo:tag} for each tag the list was pushed under. */
    static List<String> references(Build build, Build.ManifestList list) {
        return list.tags().stream()
                .map(tag -> build.image() == null ? tag : build.image() + ":" + tag)
                .toList();
    }
}
