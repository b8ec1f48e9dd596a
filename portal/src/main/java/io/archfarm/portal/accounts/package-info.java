/** People, teams, memberships and roles, API and board tokens, and every check of what a caller may see and do. */
@NullMarked
package io.archfarm.portal.accounts;

import org.jspecify.annotations.NullMarked;
