/** What workers report about their attempts: log chunks and how each attempt ended. */
@NullMarked
package io.archfarm.scheduler.results;

import org.jspecify.annotations.NullMarked;
