package io.archfarm.portal.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Controller;

/**
 * A controller that renders pages (not the JSON API): it gets the navigation model of {@code pages.PageModel} and
 * HTML error pages from {@code pages.PageErrors} instead of problem details.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface UiController {

    @AliasFor(annotation = Controller.class)
    String value() default "";
}
