package io.archfarm.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium and its chromedriver (Debian's {@code chromium} and {@code chromium-driver}). Both
 * paths are given to Selenium explicitly, so Selenium Manager never looks for, let alone downloads, a browser or a
 * driver: the machines running these tests reach no browser vendor.
 */
final class Chromium {

    static final Path BROWSER = Path.of(System.getProperty("archfarm.e2e.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("archfarm.e2e.chromedriver", "/usr/bin/chromedriver"));

    private static final List<String> ARGUMENTS = List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,1000");

    private Chromium() {}

    /** Fails, naming the packages to install, unless both the browser and its driver are there. */
    static void require() {
        List<Path> missing = Stream.of(BROWSER, DRIVER)
                .filter(path -> !Files.isExecutable(path))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the browser tests need " + missing + ": install the Debian/Ubuntu "
                    + "packages chromium and chromium-driver (./archfarm test installs them as root)");
        }
    }

    /** A new headless browser with a profile of its own under {@code profileDir}, which must not exist yet. */
    static ChromeDriver start(Path profileDir, Path driverLog) {
        require();
        try {
            Files.createDirectories(profileDir);
            Files.createDirectories(driverLog.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the browser profile " + profileDir, e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(ARGUMENTS);
        options.addArguments("--user-data-dir=" + profileDir.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(driverLog.toAbsolutePath().toString()))
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
