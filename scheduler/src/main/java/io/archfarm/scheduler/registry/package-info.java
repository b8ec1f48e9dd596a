/** Which registry credential a build's image is pushed with. */
@NullMarked
package io.archfarm.scheduler.registry;

import org.jspecify.annotations.NullMarked;
