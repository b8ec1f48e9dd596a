/**
 * Encryption at rest for the secrets the farm must read back (webhook secrets, forge API tokens, registry credentials).
 */
@NullMarked
package io.archfarm.model.secrets;

import org.jspecify.annotations.NullMarked;
