/** Asking a remote repository for its refs, and which repository and forge URLs the farm may reach. */
@NullMarked
package io.archfarm.portal.git;

import org.jspecify.annotations.NullMarked;
