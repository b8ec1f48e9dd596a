/** The fleet from its heartbeats: workers' state and tools, and the jobs of workers that went silent or forgot them. */
@NullMarked
package io.archfarm.scheduler.workers;

import org.jspecify.annotations.NullMarked;
