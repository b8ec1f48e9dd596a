/** What the parts of the farm share about their metrics endpoints: who may scrape them. */
package io.archfarm.model.metrics;
