/** The dashboard and the wall board: active builds, queue depths, the fleet, and a team's 30-day statistics. */
@NullMarked
package io.archfarm.portal.dashboard;

import org.jspecify.annotations.NullMarked;
