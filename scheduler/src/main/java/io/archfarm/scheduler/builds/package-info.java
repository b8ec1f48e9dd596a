/**
 * Builds on the scheduler's side: the portal's requests to build, cancel and retry, and the one owner of the builds
 * table.
 */
@NullMarked
package io.archfarm.scheduler.builds;

import org.jspecify.annotations.NullMarked;
