/** Every message the portal, the scheduler and the workers send one another, each defined once as a record. */
@NullMarked
package io.archfarm.model.messages;

import org.jspecify.annotations.NullMarked;
