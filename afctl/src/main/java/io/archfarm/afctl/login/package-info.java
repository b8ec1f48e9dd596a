/** {@code afctl login} and {@code logout}: an API token checked with the farm, kept in a file only its owner reads. */
@NullMarked
package io.archfarm.afctl.login;

import org.jspecify.annotations.NullMarked;
