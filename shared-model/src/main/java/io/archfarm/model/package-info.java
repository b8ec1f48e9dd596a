/**
 * The farm's shared vocabulary, used by every part: platforms, statuses and their allowed transitions, outcomes,
 * placement and topology names.
 */
@NullMarked
package io.archfarm.model;

import org.jspecify.annotations.NullMarked;
