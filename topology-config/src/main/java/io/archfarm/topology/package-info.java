/** The one binding of {@code archfarm.topology.prefix} to the broker topology, for every service. */
package io.archfarm.topology;
