/** Commit statuses sent to GitHub, GitLab, Gitea and Forgejo, each in its documented dialect. */
@NullMarked
package io.archfarm.portal.forge.status;

import org.jspecify.annotations.NullMarked;
