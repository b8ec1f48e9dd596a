/**
 * How callers sign in: bearer tokens, the sign-in form and its throttle, board tokens, sessions and the 401/403
 * answers.
 */
@NullMarked
package io.archfarm.portal.security;

import org.jspecify.annotations.NullMarked;
