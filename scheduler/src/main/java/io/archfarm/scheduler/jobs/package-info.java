/** Platform jobs and their attempts: the one owner of their tables, retries and timeouts. */
@NullMarked
package io.archfarm.scheduler.jobs;

import org.jspecify.annotations.NullMarked;
