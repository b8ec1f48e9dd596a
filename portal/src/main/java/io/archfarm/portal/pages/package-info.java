/** What every page shares: the header's model, the team switcher and the HTML error pages. */
@NullMarked
package io.archfarm.portal.pages;

import org.jspecify.annotations.NullMarked;
