/**
 * The worker's side of the broker: slots that take pushed jobs and claim them, control orders, heartbeats and the
 * events it sends.
 */
@NullMarked
package io.archfarm.worker.jobs;

import org.jspecify.annotations.NullMarked;
