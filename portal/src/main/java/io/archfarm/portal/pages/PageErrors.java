package io.archfarm.portal.pages;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * A page that cannot be shown says why in HTML, with the status the API would answer: 404 for what the reader may not
 * see (as for what does not exist), 403, 409, 400.
 */
@ControllerAdvice(annotations = UiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    private final PageModel pageModel;

    PageErrors(PageModel pageModel) {
        this.pageModel = pageModel;
    }

    @ExceptionHandler(ApiProblem.class)
    String problem(ApiProblem problem, Model model, HttpServletRequest request, HttpServletResponse response) {
        // exception handlers get no @ModelAttribute values: the header is added here
        model.addAttribute("nav", pageModel.nav(request));
        response.setStatus(problem.status().value());
        model.addAttribute("status", problem.status().value());
        model.addAttribute("reason", problem.status().getReasonPhrase());
        model.addAttribute("detail", problem.getMessage());
        return "error/problem";
    }
}
