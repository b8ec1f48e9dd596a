package io.archfarm.e2e;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** {@code /builds/{id}} as a browser sees it, read afresh on every call (the page updates itself). */
final class BuildPage {

    static final Pattern PATH = Pattern.compile("^/builds/([0-9a-f-]{36})(?:[?#].*)?$");

    static final By STATUS = By.id("build-status");
    static final By PLATFORM_ROWS = By.cssSelector("table#platform-rows tr[data-platform]");
    static final By CANCEL = By.id("cancel-build");
    static final By RETRY = By.id("retry-build");
    static final By FAILED_STEP = By.id("failed-step");
    static final By MANIFEST_LIST = By.cssSelector("section#manifest-list");
    static final By INDEX_DIGEST = By.id("index-digest");
    static final By PULL_LINES = By.cssSelector("section#manifest-list code.pull");
    static final By MANIFEST_JSON = By.id("manifest-json");
    static final By RAW_LOGS = By.cssSelector("a.raw-log");

    private final Browser browser;

    BuildPage(Browser browser) {
        this.browser = browser;
    }

    /** The id of the build the browser shows; fails when it shows another page. */
    String id() {
        Matcher matcher = PATH.matcher(browser.currentPath());
        if (!matcher.matches()) {
            throw new AssertionError("the browser shows " + browser.currentPath() + ", not a build page");
        }
        return matcher.group(1);
    }

    String status() {
        return browser.text(STATUS).strip();
    }

    static By row(String platform) {
        return By.cssSelector("table#platform-rows tr[data-platform='" + platform + "']");
    }

    static By log(String platform) {
        return By.cssSelector("pre[data-log-platform='" + platform + "']");
    }

    /** The status cell of the platform's row. */
    String platformStatus(String platform) {
        return browser.text(By.cssSelector("table#platform-rows tr[data-platform='" + platform + "'] td.status"))
                .strip();
    }

    /** Every platform row's status, by platform. */
    Map<String, String> platformStatuses() {
        return browser.findAll(PLATFORM_ROWS).stream()
                .collect(Collectors.toMap(
                        row -> row.getDomAttribute("data-platform"),
                        row -> row.findElement(By.cssSelector("td.status"))
                                .getText()
                                .strip(),
                        (a, b) -> b,
                        TreeMap::new));
    }

    /** A row's text, all cells. */
    String rowText(String platform) {
        return browser.text(row(platform));
    }

    /** The whole log the panel holds, scrolled into view or not. */
    String logText(String platform) {
        return browser.textContent(log(platform));
    }

    boolean hasManifestList() {
        return browser.isPresent(INDEX_DIGEST);
    }

    String indexDigest() {
        return browser.text(INDEX_DIGEST).strip();
    }

    List<String> pullLines() {
        return browser.findAll(PULL_LINES).stream()
                .map(WebElement::getText)
                .map(String::strip)
                .toList();
    }

    String manifestJson() {
        return browser.textContent(MANIFEST_JSON);
    }
}
