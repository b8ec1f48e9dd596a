/** The scheduler's outbox and its relay: messages written in the caller's transaction, published with confirms. */
@NullMarked
package io.archfarm.scheduler.outbox;

import org.jspecify.annotations.NullMarked;
