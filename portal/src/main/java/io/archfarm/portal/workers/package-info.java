/** The fleet as the scheduler records it, and the admins' orders to drain and resume workers. */
@NullMarked
package io.archfarm.portal.workers;

import org.jspecify.annotations.NullMarked;
