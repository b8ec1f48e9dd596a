package io.archfarm.portal.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteRefsTest {

    private static final String HEAD = "427ad6d9b0b842eb919716cce3722bc6b032d641";
    private static final String RELEASE = "1111111111111111111111111111111111111111";
    private static final String TAG_OBJECT = "547dfbce83202cc754481ff35c0b2bf1b1be79e9";

    private static final String OUTPUT = """
            ref: refs/heads/trunk\tHEAD
            %1$s\tHEAD
            %2$s\trefs/heads/release
            %1$s\trefs/heads/trunk
            %1$s\trefs/tags/light
            %3$s\trefs/tags/v1
            %2$s\trefs/tags/v1^{}
            %2$s\trefs/pull/7/head
            """.formatted(HEAD, RELEASE, TAG_OBJECT);

    private final RemoteRefs refs = RemoteRefs.parse(OUTPUT);

    @Test
    void knowsTheBranchHeadPointsAt() {
        assertThat(refs.defaultBranch()).contains("trunk");
    }

    @Test
    void resolvesBranchesAndLightTags() {
        assertThat(refs.commitOf("trunk")).contains(HEAD);
        assertThat(refs.commitOf("release")).contains(RELEASE);
        assertThat(refs.commitOf("light")).contains(HEAD);
    }

    @Test
    void peelsAnnotatedTagsToTheirCommit() {
        assertThat(refs.commitOf("v1")).contains(RELEASE);
        assertThat(refs.commitOf("refs/tags/v1")).contains(RELEASE);
    }

    @Test
    void resolvesFullRefNames() {
        assertThat(refs.commitOf("refs/pull/7/head")).contains(RELEASE);
        assertThat(refs.commitOf("refs/heads/trunk")).contains(HEAD);
    }

    @Test
    void takesACommitIdAsIs() {
        String unknownCommit = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
        assertThat(refs.commitOf(unknownCommit)).contains(unknownCommit);
    }

    @Test
    void findsNothingForAMissingRef() {
        assertThat(refs.commitOf("nope")).isEmpty();
        assertThat(refs.commitOf("abc123")).isEmpty();
    }

    @Test
    void anEmptyRepositoryHasNoHeadBranch() {
        RemoteRefs empty = RemoteRefs.parse("");
        assertThat(empty.defaultBranch()).isEmpty();
        assertThat(empty.commitOf("main")).isEmpty();
    }

    @Test
    void refusesOutputItDoesNotUnderstand() {
        assertThatThrownBy(() -> RemoteRefs.parse("warning: something\n")).hasMessageContaining("'warning: something'");
    }

    @Test
    void keepsGitsOwnWordsWithoutTheGenericHint() {
        assertThat(GitRemote.errorLines("""
                fatal: '/tmp/nonexist' does not appear to be a git repository
                fatal: Could not read from remote repository.

                Please make sure you have the correct access rights
                and the repository exists.
                """))
                .isEqualTo("fatal: '/tmp/nonexist' does not appear to be a git repository "
                        + "fatal: Could not read from remote repository.");
        assertThat(GitRemote.errorLines("fatal: unable to connect to 127.0.0.1:\n"
                        + "127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n"))
                .endsWith("errno=Connection refused");
    }
}
