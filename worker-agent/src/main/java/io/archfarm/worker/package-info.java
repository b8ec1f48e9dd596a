/** The worker agent's start-up and configuration: its identity, capabilities, detected tools and management port. */
@NullMarked
package io.archfarm.worker;

import org.jspecify.annotations.NullMarked;
