/** The log context every part of the farm keeps in the same words while it handles a build or a platform job. */
@NullMarked
package io.archfarm.model.logging;

import org.jspecify.annotations.NullMarked;
