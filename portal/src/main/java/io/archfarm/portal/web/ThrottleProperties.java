package io.archfarm.portal.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much guessing and flooding the portal takes before it answers 429 with {@code Retry-After}. The counts are
 * token buckets kept in this portal's memory: each portal instance counts on its own, and a restart forgets them.
 *
 * @param failuresPerAccount  failed sign-ins (form, HTTP Basic on {@code POST /api/v1/tokens}) one account takes per
 *                            {@code failureWindow}, from anywhere
 * @param failuresPerSource   failed sign-ins one source address takes per {@code failureWindow}, for any accounts
 * @param failureWindow       the window both sign-in counts refill over (evenly: one attempt back every
 *                            window / count)
 * @param deliveriesPerProject webhook deliveries one project takes per {@code deliveryWindow}, signed or not
 * @param deliveryWindow      the window the webhook count refills over
 */
@ConfigurationProperties("archfarm.throttle")
@Validated
public record ThrottleProperties(
        @DefaultValue("5") @Positive int failuresPerAccount,
        @DefaultValue("20") @Positive int failuresPerSource,

        @DefaultValue("15m") @NotNull @DurationMin(seconds = 1)
        Duration failureWindow,

        @DefaultValue("120") @Positive int deliveriesPerProject,

        @DefaultValue("1m") @NotNull @DurationMin(seconds = 1)
        Duration deliveryWindow) {}
