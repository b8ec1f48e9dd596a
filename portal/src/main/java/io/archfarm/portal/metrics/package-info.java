/** The portal's metrics from PostgreSQL, and who may scrape them. */
@NullMarked
package io.archfarm.portal.metrics;

import org.jspecify.annotations.NullMarked;
