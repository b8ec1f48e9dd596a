/**
 * What every afctl command gets: the run's {@link io.archfarm.afctl.cli.Invocation} (environment, streams, terminal,
 * clock), the farm to talk to (environment, else the config file), the output format, and the exit codes.
 */
@NullMarked
package io.archfarm.afctl.cli;

import org.jspecify.annotations.NullMarked;
