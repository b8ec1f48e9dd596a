package io.archfarm.portal.security;

import io.archfarm.portal.accounts.ApiTokens;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three doors: the API ({@code /api/**}, stateless, bearer tokens), the webhooks ({@code /hooks/**}, authenticated
 * by each forge's signature in the controller) and the pages (a sign-in form and a session, with CSRF tokens).
 */
@Configuration
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        // Argon2id with Spring Security's current parameters; the {id} prefix lets a later default take over
        Argon2PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
        return new DelegatingPasswordEncoder("argon2", java.util.Map.of("argon2", argon2));
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, UserDetailsService users, PasswordEncoder passwords,
            JsonMapper json) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        DaoAuthenticationProvider basic = new DaoAuthenticationProvider(users);
        basic.setPasswordEncoder(passwords);
        AuthenticationFilter credentials = new AuthenticationFilter(
                new ProviderManager(new TokenAuthenticationProvider(tokens), basic), new ApiCredentialsConverter());
        credentials.setSuccessHandler((request, response, authentication) -> { });
        credentials.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        return http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable()) // no cookies are accepted here, so there is nothing to forge
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
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
                .csrf(csrf -> csrf.disable()) // forges sign their deliveries; there is no browser session here
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .requestCache(c -> c.disable())
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/actuator/health", "/actuator/health/**", "/error", "/css/**",
                                "/js/**", "/webjars/**", "/favicon.ico", "/favicon.svg").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").permitAll())
                .logout(logout -> logout.permitAll())
                .build();
    }
}
