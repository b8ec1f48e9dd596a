/** Projects: their settings, pages and API, builds by hand or on a push, webhooks and commit status reporting. */
@NullMarked
package io.archfarm.portal.projects;

import org.jspecify.annotations.NullMarked;
