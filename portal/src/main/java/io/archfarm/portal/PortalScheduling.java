package io.archfarm.portal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Background work of the portal (commit statuses); {@code archfarm.portal.scheduling=false} turns it off in tests. */
@Configuration
@EnableScheduling
@ConditionalOnProperty(name = "archfarm.portal.scheduling", havingValue = "true", matchIfMissing = true)
class PortalScheduling {}
