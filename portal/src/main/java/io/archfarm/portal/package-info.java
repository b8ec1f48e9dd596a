/** The portal's start-up: the application, its clock and its background scheduling. */
@NullMarked
package io.archfarm.portal;

import org.jspecify.annotations.NullMarked;
