/** afctl's human output: aligned tables, clocks and ages. */
package io.archfarm.afctl.text;
