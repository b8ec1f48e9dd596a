package io.archfarm.portal.builds;

import io.archfarm.model.ImageReference;
import io.archfarm.model.hosts.HostRefusal;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.hosts.RegistryRule;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which registries an image may name: the farm's one host rule for registries ({@link RegistryRule}) with
 * {@code archfarm.registry.allowed-hosts}. A name that does not resolve now is let through: it reaches nothing from
 * here, and the worker checks the registry again, with its own resolver, right before it pushes.
 */
@Component
class ImageRegistries {

    private final RegistryRule rule;

    /** Resolves names with a {@link HostResolver} bean when a test context defines one, else with the system's DNS. */
    @Autowired
    ImageRegistries(RegistryProperties properties, ObjectProvider<HostResolver> resolver) {
        this(properties.allowedHosts(), resolver.getIfAvailable(HostResolver::system));
    }

    ImageRegistries(List<String> allowedHosts, HostResolver resolver) {
        this.rule = RegistryRule.of(List.of(), allowedHosts, resolver);
    }

    /** Why the registry of {@code image} (a valid image reference) is refused, or empty. */
    Optional<String> refusal(String image) {
        return rule.refusal(ImageReference.parse(image))
                .filter(refusal -> !refusal.unresolved())
                .map(HostRefusal::reason);
    }
}
