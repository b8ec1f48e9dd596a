package io.archfarm.portal.git;

/** git could not list the refs of a repository: unreachable, not a repository, refused, or too slow. */
public class RepositoryUnreachableException extends RuntimeException {

    public RepositoryUnreachableException(String message) {
        super(message);
    }
}
