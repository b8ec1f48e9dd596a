/** The build secrets a build's jobs get, opened for sealing to the worker that claims them. */
@NullMarked
package io.archfarm.scheduler.secrets;

import org.jspecify.annotations.NullMarked;
