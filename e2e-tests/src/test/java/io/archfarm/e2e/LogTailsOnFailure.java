package io.archfarm.e2e;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** When a test fails, the last lines of every farm process's log go to the test output, next to the failure. */
final class LogTailsOnFailure implements TestWatcher {

    private final Supplier<Farm> farm;

    LogTailsOnFailure(Supplier<Farm> farm) {
        this.farm = farm;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Farm current = farm.get();
        if (current != null) {
            System.err.println(context.getDisplayName() + " failed; " + current.logTails());
        }
    }
}
