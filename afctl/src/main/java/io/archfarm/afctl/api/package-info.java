/**
 * The farm's REST API v1 on the wire, for afctl: requests with the bearer token, problems as errors, paged lists
 * (RFC 8288 {@code Link}) and server-sent events. No Spring: afctl runs on a bare JRE.
 */
@NullMarked
package io.archfarm.afctl.api;

import org.jspecify.annotations.NullMarked;
