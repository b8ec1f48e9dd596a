/** The one binding of {@code archfarm.topology.prefix} to the broker topology, for every service. */
@NullMarked
package io.archfarm.topology;

import org.jspecify.annotations.NullMarked;
