/** The scheduler's broker topology: exchanges, the queues it consumes, and the job queues per platform and mode. */
@NullMarked
package io.archfarm.scheduler.broker;

import org.jspecify.annotations.NullMarked;
