/** The one writer of the outbox table, for the portal and the scheduler. */
@NullMarked
package io.archfarm.outbox;

import org.jspecify.annotations.NullMarked;
