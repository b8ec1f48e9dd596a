/** Placement: which QUEUED platform job goes to which job queue, native first, warm caches preferred. */
@NullMarked
package io.archfarm.scheduler.dispatch;

import org.jspecify.annotations.NullMarked;
