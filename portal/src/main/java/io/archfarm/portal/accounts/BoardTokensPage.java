package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /board-tokens}: the board tokens the reader manages, a form to make one (for teams they maintain; every team
 * for an admin), and revoke. A new token is shown on the answer to the form, once, never through the session.
 */
@UiController
class BoardTokensPage {

    private final BoardTokens tokens;
    private final Access access;

    BoardTokensPage(BoardTokens tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    @GetMapping("/board-tokens")
    String page(Model model) {
        pageModel(model);
        return "board/tokens";
    }

    @PostMapping("/board-tokens")
    String create(
            @RequestParam(required = false) String name,
            @RequestParam(required = false) List<String> teams,
            @RequestParam(defaultValue = "false") boolean allTeams,
            @RequestParam(required = false) String expiresOn,
            HttpServletResponse response,
            Model model) {
        try {
            model.addAttribute("created", tokens.create(name, teams, allTeams, expiry(expiresOn)));
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store"); // the token must not stay in any cache
        } catch (ApiProblem refused) {
            response.setStatus(refused.status().value());
            model.addAttribute("refused", refused.getMessage());
            model.addAttribute("name", name);
        }
        pageModel(model);
        return "board/tokens";
    }

    @PostMapping("/board-tokens/{id}/revoke")
    String revoke(@PathVariable UUID id, RedirectAttributes redirect) {
        BoardTokens.BoardTokenView revoked = tokens.revoke(id);
        redirect.addFlashAttribute("notice", "boardTokens.revoked");
        redirect.addFlashAttribute("noticeArgument", revoked.name());
        return "redirect:/board-tokens";
    }

    /** The end of the day given (UTC), or none. */
    private static @Nullable Instant expiry(String expiresOn) {
        if (expiresOn == null || expiresOn.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(expiresOn.strip())
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("expiresOn", "expiresOn '" + expiresOn + "' is not a date (YYYY-MM-DD)");
        }
    }

    private void pageModel(Model model) {
        model.addAttribute("tokens", tokens.list());
        model.addAttribute(
                "maintained",
                access.teams().stream().filter(t -> t.role() == Role.MAINTAINER).toList());
        model.addAttribute("admin", access.caller().admin());
    }
}
