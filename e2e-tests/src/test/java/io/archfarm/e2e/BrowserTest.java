package io.archfarm.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;

/**
 * A browser test of the portal: each test gets a fresh headless Chromium ({@link #browser}) whose visits are saved as
 * screenshots under {@code target/screenshots/<test class>/<test>/}, and the page as it was when the test failed.
 * Subclasses start the farm and say where its portal is.
 */
@ExtendWith(BrowserTest.SnapshotOnFailure.class)
abstract class BrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("archfarm.e2e.screenshots", "target/screenshots"));
    private static final Path PROFILES =
            Path.of(System.getProperty("archfarm.e2e.work", "target/e2e-work")).resolve("browser-profiles");

    // The header every signed-in page carries.
    static final By SIGNED_IN_AS = By.id("signed-in-as");
    static final By SIGN_OUT = By.id("sign-out");
    static final By TEAM_SWITCH = By.id("team-switch");

    protected Browser browser;

    /** Where the portal under test answers, e.g. {@code http://127.0.0.1:8080}. */
    protected abstract String portalUrl();

    @BeforeEach
    void openBrowser(TestInfo test) {
        Chromium.require();
        String method =
                test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        Path dir = SCREENSHOTS.resolve(getClass().getSimpleName()).resolve(method);
        Browser.deleteQuietly(dir);
        browser = Browser.open(portalUrl(), dir, PROFILES);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * Waits until the assertions hold, reading the page afresh each time: a live update replaces elements, so a
     * stale or not yet present element only means "not yet".
     */
    static void eventually(String what, Duration atMost, ThrowingRunnable assertions) {
        await(what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(WebDriverException.class)
                .untilAsserted(assertions);
    }

    /** Saves the page before the browser is closed, while the failure is still on the screen. */
    static final class SnapshotOnFailure implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) {
            if (context.getExecutionException().isPresent()
                    && context.getTestInstance().orElse(null) instanceof BrowserTest test
                    && test.browser != null) {
                test.browser.failureSnapshot();
            }
        }
    }
}
