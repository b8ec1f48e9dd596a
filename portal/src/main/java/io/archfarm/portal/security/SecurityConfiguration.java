package io.archfarm.portal.security;

import io.archfarm.portal.accounts.ApiTokens;
import io.archfarm.portal.accounts.BoardTokens;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import tools.jackson.databind.json.JsonMapper;

/**
 * Four doors: the API ({@code /api/**}, stateless, bearer tokens; a build's event stream also takes a page's session,
 * see {@link EventStreamSessions}), the webhooks ({@code /hooks/**}, authenticated by each forge's signature in the
 * controller), the API's description ({@code /v3/api-docs}, {@code /swagger-ui.html}: open to all) and the pages (a
 * sign-in form and a session, with CSRF tokens; the wall board also takes a board token).
 */
@Configuration
class SecurityConfiguration {

    /** What no page or answer of the farm needs: the browser features a build page could be made to ask for. */
    static final String PERMISSIONS_POLICY =
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), " + "display-capture=(), interest-cohort=()";

    /**
     * Scripts, styles, images and connections (htmx, the live log's EventSource) only from the portal itself, and no
     * inline script or style at all: a build log, a commit message or a project name that slipped through escaping
     * still could not run. The pages use no inline handlers (archfarm.js attaches them) and htmx is told not to add
     * its indicator style (a meta htmx-config in the layout).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /**
     * On every answer, besides Spring Security's defaults (nosniff, frame DENY, no-cache, HSTS over TLS): the
     * Content-Security-Policy, no Referer to other sites (build and project URLs name teams and repositories), and
     * no powerful browser features.
     */
    private static void headers(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY));
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        // Argon2id with Spring Security's current parameters; the {id} prefix lets a later default take over
        Argon2PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
        return new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2));
    }

    /** The password check of the form and of HTTP Basic, counted per account and per source. */
    private static ThrottledAuthenticationProvider throttledPasswords(
            UserDetailsService users, PasswordEncoder passwords, SignInThrottle throttle) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(passwords);
        return new ThrottledAuthenticationProvider(dao, throttle);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(
            HttpSecurity http,
            ApiTokens tokens,
            UserDetailsService users,
            PasswordEncoder passwords,
            SignInThrottle throttle,
            JsonMapper json)
            throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        AuthenticationFilter credentials = new AuthenticationFilter(
                new ProviderManager(
                        new TokenAuthenticationProvider(tokens), throttledPasswords(users, passwords, throttle)),
                new ApiCredentialsConverter());
        credentials.setSuccessHandler((request, response, authentication) -> {});
        credentials.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        return http.securityMatcher("/api/**")
                .headers(SecurityConfiguration::headers)
                .csrf(csrf -> csrf.disable()) // no cookie is accepted here but by one GET that only reads
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new EventStreamSessions()))
                .addFilterBefore(credentials, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .requestCache(c -> c.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        return http.securityMatcher("/hooks/**")
                .headers(SecurityConfiguration::headers)
                .csrf(csrf -> csrf.disable()) // forges sign their deliveries; there is no browser session here
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .requestCache(c -> c.disable())
                .build();
    }

    /**
     * The OpenAPI document and Swagger UI, for anyone: they describe the API and grant nothing (every call made from
     * Swagger UI still needs a token). Stateless, with the pages' headers.
     */
    @Bean
    @Order(0)
    SecurityFilterChain apiDocs(HttpSecurity http) throws Exception {
        return http.securityMatcher(
                        "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**")
                .headers(SecurityConfiguration::headers)
                .csrf(csrf -> csrf.disable()) // nothing here changes anything
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.requestMatchers(HttpMethod.GET)
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .requestCache(c -> c.disable())
                .build();
    }

    /**
     * The pages: people sign in with the form and keep a session. A wall screen signs in with a board token instead
     * (BoardTokenFilter), which opens the board's pages ({@code /board/**}) and no other; every other page needs a
     * person (role USER or ADMIN). A page's script that meets a signed-out session gets 401, not the sign-in form
     * (PageEntryPoint).
     */
    @Bean
    @Order(3)
    SecurityFilterChain pages(
            HttpSecurity http,
            UserDetailsService users,
            PasswordEncoder passwords,
            SignInThrottle throttle,
            BoardTokens boardTokens)
            throws Exception {
        return http.headers(SecurityConfiguration::headers)
                // its own manager, without the global one as parent: a throttled attempt must not be tried again there
                .authenticationManager(new ProviderManager(throttledPasswords(users, passwords, throttle)))
                .addFilterBefore(new BoardTokenFilter(boardTokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers(
                                "/login",
                                SignInFailures.THROTTLED_PATH,
                                "/actuator/health",
                                "/actuator/health/**",
                                "/error",
                                "/css/**",
                                "/js/**",
                                "/webjars/**",
                                "/favicon.ico",
                                "/favicon.svg")
                        .permitAll()
                        // for a scraper, not a person: ScrapeRule lets only loopback or the scrape token get here
                        .requestMatchers("/actuator/prometheus", "/actuator/info")
                        .permitAll()
                        .requestMatchers(BoardSignInPage.PATH)
                        .permitAll()
                        .requestMatchers("/board/**")
                        .hasAnyRole(BoardTokenAuthentication.ROLE, "USER", "ADMIN")
                        .anyRequest()
                        .hasAnyRole("USER", "ADMIN"))
                .exceptionHandling(e -> e.authenticationEntryPoint(new PageEntryPoint()))
                .formLogin(form -> form.loginPage("/login")
                        .failureHandler(new SignInFailures())
                        .permitAll())
                .logout(logout -> logout.permitAll())
                .build();
    }
}
