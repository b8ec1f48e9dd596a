/** The git forges the farm takes webhooks from and reports commit statuses to. */
@NullMarked
package io.archfarm.portal.forge;

import org.jspecify.annotations.NullMarked;
