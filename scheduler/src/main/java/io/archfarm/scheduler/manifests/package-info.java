/** The merge: a build's images pushed by digest become one manifest list in the registry, under its tags. */
@NullMarked
package io.archfarm.scheduler.manifests;

import org.jspecify.annotations.NullMarked;
