/** What the parts of the farm share about their metrics endpoints: who may scrape them. */
@NullMarked
package io.archfarm.model.metrics;

import org.jspecify.annotations.NullMarked;
