package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which host a git URL makes git connect to, as the worker reads it before holding it to the host rule. */
class GitHostsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://github.com/team/app.git          | github.com
            HTTP://user@10.0.0.1:8080/x.git          | 10.0.0.1
            git://[::1]:9418/x.git                   | [::1]
            ssh://git@[fd00::1]:22/x.git             | [fd00::1]
            git+ssh://git@host.example/x.git         | host.example
            git@169.254.169.254:team/app.git         | 169.254.169.254
            host.example:team/app.git                | host.example
            git@[::1]:team/app.git                   | [::1]
            https://0x7f000001/x                     | 0x7f000001
            """)
    void findsTheHost(String url, String host) {
        assertThat(GitHosts.hostOf(url)).contains(host);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://Git.Example/x.git     | http.curloptResolve=git.example:443:140.82.121.3,[2606:50c0:0:0:0:0:0:1]
            http://git.example:8080/x.git | http.curloptResolve=git.example:8080:140.82.121.3,[2606:50c0:0:0:0:0:0:1]
            """)
    void pinsHttpToTheAddressesItChecked(String url, String pin) throws JobFailure {
        GitHosts hosts = new GitHosts(
                List.of(),
                host -> List.of(InetAddress.getByName("140.82.121.3"), InetAddress.getByName("2606:50c0::1")));
        assertThat(hosts.check(url)).containsExactly(pin);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "git://git.example/x.git",
                "ssh://git@git.example/x.git",
                "git@git.example:x.git",
                "https://140.82.121.3/x.git",
                "file:///srv/x.git"
            })
    void pinsNothingGitCannotBePinnedFor(String url) throws JobFailure {
        GitHosts hosts = new GitHosts(List.of(), host -> List.of(InetAddress.getByName("140.82.121.3")));
        assertThat(hosts.check(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///srv/git/app.git", "/srv/git/app.git", "./lib", "../lib.git", "~/lib.git"})
    void aLocalRepositoryHasNoHost(String url) {
        assertThat(GitHosts.hostOf(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://evil.example#@127.0.0.1/x.git",
                "https://a@b@c.example/x.git",
                "http://127.0.0.1\\\\@x.example/",
                "https:///x.git",
                "svn://10.0.0.1/x"
            })
    void refusesANetworkUrlWhoseHostItCannotTellForSure(String url) {
        assertThatThrownBy(() -> new GitHosts(List.of(), host -> List.of()).check(url))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("repository '" + url + "' refused: ");
    }
}
