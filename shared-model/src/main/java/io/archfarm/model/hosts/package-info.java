/**
 * The one host rule for every host a user names (repository, submodule, forge API, image registry): internal
 * addresses are refused unless an operator allows them, names are resolved and every answer is checked. The portal
 * checks when it accepts the input; a worker checks again with its own resolver right before it connects.
 */
@NullMarked
package io.archfarm.model.hosts;

import org.jspecify.annotations.NullMarked;
