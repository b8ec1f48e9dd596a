/** How the portal announces work: outbox rows written in the caller's transaction, for the scheduler's relay. */
@NullMarked
package io.archfarm.portal.outbox;

import org.jspecify.annotations.NullMarked;
