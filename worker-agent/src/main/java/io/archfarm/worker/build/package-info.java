/**
 * How a worker runs one platform job: fetch the source, build and push the image in an isolated sandbox, report the
 * result.
 */
@NullMarked
package io.archfarm.worker.build;

import org.jspecify.annotations.NullMarked;
