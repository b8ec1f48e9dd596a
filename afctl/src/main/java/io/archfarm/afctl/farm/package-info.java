/** afctl's commands about the farm itself: its projects, its workers and its version. */
@NullMarked
package io.archfarm.afctl.farm;

import org.jspecify.annotations.NullMarked;
