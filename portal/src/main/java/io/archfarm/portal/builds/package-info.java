/**
 * Builds on the portal's side: accepting, cancelling and retrying them, the history, build pages, logs and live
 * streams.
 */
@NullMarked
package io.archfarm.portal.builds;

import org.jspecify.annotations.NullMarked;
