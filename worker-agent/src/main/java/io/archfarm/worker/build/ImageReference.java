package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.util.regex.Pattern;

/** A repository to push to, without tag or digest: {@code 127.0.0.1:5000/demo/hello}. */
record ImageReference(String registry, String repository) {

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
                    + "|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    static ImageReference parse(String image) throws JobFailure {
        if (image == null || image.isBlank()) {
            throw malformed(image, "it is empty");
        }
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        boolean hasRegistry = slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        String registry = hasRegistry ? first : "docker.io";
        String repository = hasRegistry ? image.substring(slash + 1) : image;
        if (hasRegistry && !HOST.matcher(registry).matches()) {
            throw malformed(image, "'" + registry + "' is not a registry host[:port]");
        }
        if (!PATH.matcher(repository).matches()) {
            throw malformed(image, "expected [host[:port]/]name[/name...] in lower case, without tag or digest");
        }
        return new ImageReference(registry, repository);
    }

    private static JobFailure malformed(String image, String why) {
        return new JobFailure(JobOutcome.FAILED, "image reference '" + image + "' is malformed: " + why);
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
