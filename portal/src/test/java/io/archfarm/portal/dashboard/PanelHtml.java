package io.archfarm.portal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the panels of the dashboard and the board from their HTML. */
final class PanelHtml {

    private PanelHtml() {}

    /** The panel {@code <section id="...">}, which must be there. */
    static String section(String html, String id) {
        Matcher m = Pattern.compile("<section id=\"" + id + "\".*?</section>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("section #" + id + " in the page").isTrue();
        return m.group();
    }

    /** The builds of a panel's table rows, in order. */
    static List<String> rows(String html) {
        return Pattern.compile("<tr data-build=\"([^\"]+)\"")
                .matcher(html)
                .results()
                .map(r -> r.group(1))
                .toList();
    }
}
