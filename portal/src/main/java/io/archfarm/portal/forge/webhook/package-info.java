/** Webhook deliveries from the forges: checked for authenticity, then read into the event they stand for. */
@NullMarked
package io.archfarm.portal.forge.webhook;

import org.jspecify.annotations.NullMarked;
