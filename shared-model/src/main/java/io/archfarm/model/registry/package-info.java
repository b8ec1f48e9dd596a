/**
 * Registry credentials on their way to a worker: the containers auth file, and the seal only that worker process can
 * open.
 */
@NullMarked
package io.archfarm.model.registry;

import org.jspecify.annotations.NullMarked;
