/** The log context every part of the farm keeps in the same words while it handles a build or a platform job. */
package io.archfarm.model.logging;
