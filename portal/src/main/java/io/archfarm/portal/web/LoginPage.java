package io.archfarm.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** The sign-in form; Spring Security handles its POST, {@code ?error} and {@code ?logout}. */
@UiController
class LoginPage {

    /** Set by the security layer's failure handler (SignInFailures) before it forwards a throttled sign-in here. */
    private static final String RETRY_AFTER_ATTRIBUTE = "archfarm.signInRetryAfter";

    @GetMapping("/login")
    String login() {
        return "login";
    }

    /** A throttled sign-in: 429 and the form, saying when the next attempt is taken. Directly: just the form. */
    @RequestMapping("/login/throttled")
    String throttled(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!(request.getAttribute(RETRY_AFTER_ATTRIBUTE) instanceof Long seconds)) {
            return "redirect:/login";
        }
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        model.addAttribute("retryAfterMinutes", Math.max(1, (seconds + 59) / 60));
        return "login";
    }
}
