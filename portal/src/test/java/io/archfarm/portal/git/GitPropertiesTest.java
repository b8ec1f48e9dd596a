package io.archfarm.portal.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class GitPropertiesTest {

    @Test
    void allowsNoInternalHostByDefault() {
        GitProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("archfarm.git", GitProperties.class);
        assertThat(properties.allowedHosts()).isEmpty();
        assertThat(properties.allowFileUrls()).isFalse();
    }

    @Test
    void readsAllowedHostsAsACommaSeparatedList() {
        GitProperties properties = new Binder(
                        new MapConfigurationPropertySource(Map.of("archfarm.git.allowed-hosts", "127.0.0.1,localhost")))
                .bindOrCreate("archfarm.git", GitProperties.class);
        assertThat(properties.allowedHosts()).containsExactly("127.0.0.1", "localhost");
    }

    @Test
    void readsAllowedHostsFromTheEnvironment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        "env", Map.of("ARCHFARM_GIT_ALLOWED_HOSTS", "127.0.0.1,localhost,10.20.0.0/16")));
        GitProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("archfarm.git", GitProperties.class);
        assertThat(properties.allowedHosts()).containsExactly("127.0.0.1", "localhost", "10.20.0.0/16");
    }
}
