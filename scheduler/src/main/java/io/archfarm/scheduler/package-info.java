/** The scheduler's start-up and what its parts share: settings, time, handled message ids and lost-race errors. */
@NullMarked
package io.archfarm.scheduler;

import org.jspecify.annotations.NullMarked;
