/** The one writer of the outbox table, for the portal and the scheduler. */
package io.archfarm.outbox;
