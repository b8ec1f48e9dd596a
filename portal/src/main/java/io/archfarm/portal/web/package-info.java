/** The web layer's infrastructure: UI controllers, request limits, portal settings and how problems are rendered. */
@NullMarked
package io.archfarm.portal.web;

import org.jspecify.annotations.NullMarked;
