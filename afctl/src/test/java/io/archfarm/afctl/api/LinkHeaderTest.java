package io.archfarm.afctl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8288 Link headers, as the farm pages its build history. */
class LinkHeaderTest {

    @Test
    void theNextPageIsFoundAmongOtherLinks() {
        assertThat(LinkHeader.next(List.of("</api/v1/builds?limit=2&cursor=abc>; rel=\"next\"")))
                .contains("/api/v1/builds?limit=2&cursor=abc");
        assertThat(LinkHeader.next(List.of("<https://farm/a>; rel=\"prev\", <https://farm/b>; title=\"x\"; rel=next")))
                .contains("https://farm/b");
        assertThat(LinkHeader.next(List.of("<https://farm/c>; rel=\"first next\"")))
                .contains("https://farm/c");
    }

    @Test
    void theLastPageHasNone() {
        assertThat(LinkHeader.next(List.of())).isEmpty();
        assertThat(LinkHeader.next(List.of("</api/v1/builds?cursor=z>; rel=\"prev\"")))
                .isEmpty();
        assertThat(LinkHeader.next(List.of("</x>; rel=\"nextish\""))).isEmpty();
    }
}
