package io.archfarm.portal.web;

import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles its POST, {@code ?error} and {@code ?logout}. */
@UiController
class LoginPage {

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
