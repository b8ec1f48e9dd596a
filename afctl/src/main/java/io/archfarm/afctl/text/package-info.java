/** afctl's human output: aligned tables, clocks and ages. */
@NullMarked
package io.archfarm.afctl.text;

import org.jspecify.annotations.NullMarked;
