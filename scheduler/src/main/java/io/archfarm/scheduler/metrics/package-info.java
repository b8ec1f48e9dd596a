/** The scheduler's metrics: the farm's state from PostgreSQL, what it decides and hears, and who may scrape them. */
@NullMarked
package io.archfarm.scheduler.metrics;

import org.jspecify.annotations.NullMarked;
