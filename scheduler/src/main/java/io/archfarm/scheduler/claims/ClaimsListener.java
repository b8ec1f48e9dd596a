package io.archfarm.scheduler.claims;

import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** Request/reply on the claims queue: the reply goes to the worker's direct reply-to address. */
@Component
class ClaimsListener {

    private final GrantClaims grants;

    ClaimsListener(GrantClaims grants) {
        this.grants = grants;
    }

    @RabbitListener(queues = "#{@topology.claimsQueue()}")
    ClaimReply onClaim(ClaimRequest request) {
        return grants.decide(request);
    }
}
