/**
 * afctl's commands about builds: start one, follow it live, inspect its manifest list, read its logs, cancel, retry
 * and list the history.
 */
@NullMarked
package io.archfarm.afctl.builds;

import org.jspecify.annotations.NullMarked;
