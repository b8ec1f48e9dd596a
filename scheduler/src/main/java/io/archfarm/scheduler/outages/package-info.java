/**
 * Outages of a part of the farm (a registry, a git server) as attempts and merges meet them, and the back-off after
 * one.
 */
@NullMarked
package io.archfarm.scheduler.outages;

import org.jspecify.annotations.NullMarked;
