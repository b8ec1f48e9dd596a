package io.archfarm.portal.security;

import io.archfarm.portal.accounts.BoardTokens;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signs a wall screen in with a board token: the token, pasted into the form (or taken by archfarm.js from the
 * address's {@code #token=} fragment, which the browser never sends to a server or a log), goes into the board
 * cookie, and the screen shows the board. The form carries a CSRF token like every other.
 */
@UiController
class BoardSignInPage {

    static final String PATH = BoardTokens.SIGN_IN_PATH;

    private final BoardTokens tokens;

    BoardSignInPage(BoardTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping(PATH)
    String form() {
        return "board/sign-in";
    }

    @PostMapping(PATH)
    String signIn(
            @RequestParam(required = false) String token,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String given = token == null ? "" : token.strip();
        String refused = given.isEmpty()
                ? "paste the board token (" + BoardTokens.PREFIX + "...) into the field"
                : refusal(given);
        if (refused != null) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("refused", refused);
            return "board/sign-in";
        }
        BoardCookie.write(request, response, given);
        return "redirect:/board";
    }

    /** Why the token is refused, or null when it opens the board. */
    private @Nullable String refusal(String token) {
        try {
            tokens.authenticate(token);
            return null;
        } catch (AuthenticationException e) {
            return e.getMessage();
        }
    }
}
