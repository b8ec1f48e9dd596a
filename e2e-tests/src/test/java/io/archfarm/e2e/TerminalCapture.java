package io.archfarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A terminal screen kept for people: as text, and as a picture (the screen as coloured HTML, photographed by the
 * headless Chromium the browser tests use), as the README shows afctl's live progress.
 */
final class TerminalCapture {

    private static final Pattern SGR = Pattern.compile("\u001b\\[([0-9;]*)m");
    private static final Pattern ANY_ESCAPE = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");
    private static final Map<String, String> COLOURS =
            Map.of("31", "#ff6b6b", "32", "#5fd068", "33", "#f5c542", "36", "#56c8d8");

    private TerminalCapture() {}

    static String text(String screen) {
        return ANY_ESCAPE.matcher(screen).replaceAll("");
    }

    /** Saves {@code screen} as {@code name}.txt, .html and, when Chromium is there, .png under {@code dir}. */
    static void save(Path dir, String name, String screen, int columns, int lines) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), text(screen));
            Path html = dir.resolve(name + ".html");
            Files.writeString(html, html(screen));
            if (Files.isExecutable(Chromium.BROWSER)) {
                Process chromium = new ProcessBuilder(
                                Chromium.BROWSER.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--hide-scrollbars",
                                "--window-size=" + (columns * 8 + 32) + "," + (lines * 17 + 32),
                                "--screenshot=" + dir.resolve(name + ".png"),
                                html.toUri().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".chromium.log").toFile())
                        .start();
                chromium.waitFor(60, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The screen as a dark terminal in HTML: the colours afctl uses (SGR 2, 31, 32, 33, 36), the rest as text. */
    static String html(String screen) {
        StringBuilder body = new StringBuilder();
        String colour = null;
        boolean dim = false;
        boolean open = false;
        Matcher sgr = SGR.matcher(screen);
        int from = 0;
        while (sgr.find()) {
            body.append(escape(
                    ANY_ESCAPE.matcher(screen.substring(from, sgr.start())).replaceAll("")));
            for (String code :
                    sgr.group(1).isEmpty() ? List.of("0") : List.of(sgr.group(1).split(";"))) {
                switch (code) {
                    case "0" -> {
                        colour = null;
                        dim = false;
                    }
                    case "39" -> colour = null;
                    case "2" -> dim = true;
                    case "22" -> dim = false;
                    default -> colour = COLOURS.getOrDefault(code, colour);
                }
            }
            if (open) {
                body.append("</span>");
            }
            body.append("<span style=\"color:")
                    .append(colour == null ? "inherit" : colour)
                    .append(dim ? ";opacity:0.6" : "")
                    .append("\">");
            open = true;
            from = sgr.end();
        }
        body.append(escape(ANY_ESCAPE.matcher(screen.substring(from)).replaceAll("")));
        if (open) {
            body.append("</span>");
        }
        return "<!doctype html><html><head><meta charset=\"utf-8\"><style>body{margin:0;background:#1e1e1e}"
                + "pre{margin:0;padding:16px;color:#d4d4d4;font:13px/17px 'DejaVu Sans Mono',monospace}</style></head>"
                + "<body><pre>" + body + "</pre></body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
