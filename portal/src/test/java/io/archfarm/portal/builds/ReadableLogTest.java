package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadableLogTest {

    @Test
    void removesColoursAndCursorMovesButKeepsTheText() {
        assertThat(ReadableLog.of("\u001B[1;31mError:\u001B[0m step failed\n\u001B[2K\u001B[1Gdone\n"))
                .isEqualTo("Error: step failed\ndone\n");
    }

    @Test
    void removesTitlesAndHyperlinks() {
        assertThat(ReadableLog.of("\u001B]0;title\u0007see \u001B]8;;https://x\u001B\\here\u001B]8;;\u001B\\"))
                .isEqualTo("see here");
    }

    @Test
    void carriageReturnProgressBecomesLines() {
        assertThat(ReadableLog.of("10%\r50%\r100%\r\nnext")).isEqualTo("10%\n50%\n100%\nnext");
    }

    @Test
    void keepsMarkupAsTextForTheTemplateToEscape() {
        assertThat(ReadableLog.of("<script>alert(1)</script>\tx\u0000")).isEqualTo("<script>alert(1)</script>\tx");
    }

    @Test
    void cursorsOrderByAttemptThenSequence() {
        assertThat(LogCursor.parse("2.1")).isGreaterThan(LogCursor.parse("1.99"));
        assertThat(LogCursor.parse("garbage")).isEqualTo(LogCursor.START);
        assertThat(LogCursor.parse("3.17")).hasToString("3.17");
    }
}
