/** Build secrets of teams and projects: kept encrypted, written by maintainers, never shown again. */
@NullMarked
package io.archfarm.portal.secrets;

import org.jspecify.annotations.NullMarked;
