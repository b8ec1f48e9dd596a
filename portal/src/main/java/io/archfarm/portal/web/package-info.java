/** What the API and the pages share: problem details, request limits, the page header and team switcher, formats. */
@NullMarked
package io.archfarm.portal.web;

import org.jspecify.annotations.NullMarked;
