package io.archfarm.portal.web;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param maxRequestBytes the largest request body the API reads; larger ones get 413 */
@ConfigurationProperties("archfarm.portal")
@Validated
record PortalProperties(@DefaultValue("65536") @Positive long maxRequestBytes) {
}
