/** Claims: a worker asks to start an attempt, and at most one worker gets it. */
@NullMarked
package io.archfarm.scheduler.claims;

import org.jspecify.annotations.NullMarked;
