/** RFC 9457 problems every feature throws; a leaf that knows no feature. */
@NullMarked
package io.archfarm.portal.problems;

import org.jspecify.annotations.NullMarked;
