/** afctl's commands about the farm itself: its projects, its workers and its version. */
package io.archfarm.afctl.farm;
