package io.archfarm.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One person's headless browser on the portal. Every page it visits is saved as a screenshot, numbered in the order of
 * the visits, under the test's own screenshot folder; so is the page as it was when a test failed, with its source.
 */
final class Browser implements AutoCloseable {

    /** How often a read is tried again when the page swapped the element away in between. */
    private static final int STALE_READS = 5;

    private final String baseUrl;
    private final Path screenshots;
    private final Path profile;
    private final ChromeDriver driver;
    private int shots;

    private Browser(String baseUrl, Path screenshots, Path profile, ChromeDriver driver) {
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
        this.profile = profile;
        this.driver = driver;
    }

    /** A fresh browser (its own profile: no cookies, no cache) for the portal at {@code baseUrl}. */
    static Browser open(String baseUrl, Path screenshots, Path profilesDir) {
        Path profile = profilesDir.resolve(UUID.randomUUID().toString());
        ChromeDriver driver = Chromium.start(profile, screenshots.resolve("chromedriver.log"));
        return new Browser(baseUrl, screenshots, profile, driver);
    }

    /** Opens a page of the portal by its path and saves a screenshot of it. */
    void visit(String path) {
        driver.get(baseUrl + path);
        snapshot(pageName(path));
    }

    /**
     * Opens a page in a second tab of the same session, lets {@code look} read it, and goes back to the first tab,
     * whose page (and whatever it is doing live) stays as it was.
     */
    void inOtherTab(String path, Runnable look) {
        String first = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        try {
            visit(path);
            look.run();
        } finally {
            driver.close();
            driver.switchTo().window(first);
        }
    }

    /**
     * Shows pages as a phone does: a viewport {@code width} CSS pixels wide (and {@code height} high), honouring the
     * pages' viewport meta, until {@link #wideScreen}.
     */
    void narrowScreen(int width, int height) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
    }

    /** The browser's own window again, after {@link #narrowScreen}. */
    void wideScreen() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Whether pages are told the reader's system prefers dark colours ({@code prefers-color-scheme: dark}). */
    void prefersDark(boolean dark) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /**
     * What sticks out beyond the right edge of the page: empty when nothing does (the document is no wider than the
     * viewport: {@code scrollWidth <= clientWidth}), else the width it runs over and the outermost elements that
     * reach past the edge, to say what to fix.
     */
    String horizontalOverflow() {
        return (String) script("""
                const root = document.documentElement;
                if (root.scrollWidth <= root.clientWidth) { return ''; }
                const over = [...document.body.querySelectorAll('*')]
                    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
                    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right
                        <= root.clientWidth + 0.5)
                    .slice(0, 8)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string' ? '.' + e.className.trim()
                            .replace(/\\s+/g, '.') : '') + ' (right ' + Math.round(e.getBoundingClientRect().right)
                        + ')');
                return (root.scrollWidth - root.clientWidth) + ' px too wide (viewport ' + root.clientWidth
                    + ' px): ' + over.join(', ');""");
    }

    /** The computed style property of the element the locator finds, e.g. {@code background-color}. */
    String style(By locator, String property) {
        return read(locator, element -> element.getCssValue(property));
    }

    /** Signs in through the sign-in form, as a person does, and waits for the page the portal sends them to. */
    void signIn(String username, String password) {
        visit("/login");
        type(By.id("username"), username);
        type(By.id("password"), password);
        click(By.id("sign-in"));
        By refused = By.id("login-error");
        await(username + " signed in or refused")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(WebDriverException.class)
                .until(() -> isPresent(refused) || !currentPath().startsWith("/login"));
        if (isPresent(refused)) {
            snapshot("sign-in-refused");
            throw new AssertionError(username + " could not sign in: " + text(refused));
        }
        snapshot(pageName(currentPath()));
    }

    void type(By field, String text) {
        WebElement element = driver.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    void click(By target) {
        driver.findElement(target).click();
    }

    /**
     * Clicks a button that submits a form (accepting the confirmation the page may ask for first), waits for the page
     * the portal answers with, and saves a screenshot of it. A button the page is just replacing is looked up again.
     */
    void submit(By button) {
        WebElement before = driver.findElement(By.tagName("html"));
        await("a clickable " + button)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(() -> {
                    driver.findElement(button).click();
                    return true;
                });
        try {
            driver.switchTo().alert().accept();
        } catch (NoAlertPresentException noQuestionAsked) {
            // the button acts at once
        }
        await("the page answering " + button)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(WebDriverException.class)
                .until(() -> isStale(before) && "complete".equals(script("return document.readyState;")));
        snapshot(pageName(currentPath()));
    }

    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException gone) {
            return true;
        }
    }

    WebElement find(By locator) {
        return driver.findElement(locator);
    }

    List<WebElement> findAll(By locator) {
        return driver.findElements(locator);
    }

    boolean isPresent(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    /** The text of the element as the reader sees it. */
    String text(By locator) {
        return read(locator, WebElement::getText);
    }

    /** All text of the element, visible or scrolled out of its box, as the DOM holds it. */
    String textContent(By locator) {
        return read(locator, element -> element.getAttribute("textContent"));
    }

    /**
     * Reads from the element the locator finds now. A live page swaps its fragments at any moment, so an element found
     * a moment ago may be gone by the time it is read: it is found again, a bounded number of times.
     */
    private String read(By locator, Function<WebElement, String> reading) {
        StaleElementReferenceException last = null;
        for (int attempt = 0; attempt < STALE_READS; attempt++) {
            try {
                return reading.apply(driver.findElement(locator));
            } catch (StaleElementReferenceException swapped) {
                last = swapped;
            }
        }
        throw last;
    }

    /** The path (and query) of the page the browser shows. */
    String currentPath() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    /** The HTTP status the page now shown was served with. */
    long responseStatus() {
        Object status = script("const nav = performance.getEntriesByType('navigation');"
                + "return nav.length ? nav[0].responseStatus : -1;");
        return ((Number) status).longValue();
    }

    /**
     * Leaves a mark in the page's JavaScript world. It survives everything the page does to itself (htmx swaps) and is
     * gone after any reload or navigation, so {@link #hasMark} tells a live update from a reload.
     */
    String markPage() {
        String mark = UUID.randomUUID().toString();
        script("window.archfarmE2eMark = arguments[0];", mark);
        return mark;
    }

    boolean hasMark(String mark) {
        return mark.equals(script("return window.archfarmE2eMark || null;"));
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** Saves the whole page (beyond the window's height) as {@code <nn>-<name>.png} and returns the file. */
    Path snapshot(String name) {
        Path file = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
        write(file, screenshot());
        return file;
    }

    /** The page as the failing test left it: a screenshot, its address and its HTML. */
    void failureSnapshot() {
        try {
            Path png = snapshot("failure");
            String html = "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource();
            write(Path.of(png.toString().replaceFirst("\\.png$", ".html")), html.getBytes(StandardCharsets.UTF_8));
            System.err.println("[archfarm e2e] the page at the failure: " + png.toAbsolutePath());
        } catch (WebDriverException | UncheckedIOException e) {
            System.err.println("[archfarm e2e] no screenshot of the failure: " + e.getMessage());
        }
    }

    private byte[] screenshot() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> metrics = (Map<String, Object>)
                    driver.executeCdpCommand("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
            double width = ((Number) metrics.get("width")).doubleValue();
            double height = Math.min(((Number) metrics.get("height")).doubleValue(), 6000);
            Map<String, Object> shot = driver.executeCdpCommand(
                    "Page.captureScreenshot",
                    Map.of(
                            "format",
                            "png",
                            "captureBeyondViewport",
                            true,
                            "clip",
                            Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            return Base64.getDecoder().decode((String) shot.get("data"));
        } catch (WebDriverException | ClassCastException | NullPointerException cdpUnavailable) {
            return driver.getScreenshotAs(OutputType.BYTES);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code /} is the dashboard; {@code /builds/new?x=1} is {@code builds-new}. */
    static String pageName(String path) {
        String bare = path.replaceFirst("[?#].*$", "").replaceAll("^/+|/+$", "");
        if (bare.isEmpty()) {
            return "dashboard";
        }
        String name = bare.replaceAll("[^A-Za-z0-9]+", "-");
        return name.length() > 60 ? name.substring(0, 60) : name;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    /** Deletes a folder and everything in it, if it exists; a file left behind under target/ does no harm. */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[archfarm e2e] cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
