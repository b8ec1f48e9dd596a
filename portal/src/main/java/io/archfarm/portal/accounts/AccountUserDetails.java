package io.archfarm.portal.accounts;

import java.io.Serial;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Looks people up for password sign-in (the sign-in form, and HTTP Basic on {@code POST /api/v1/tokens}). */
@Service
class AccountUserDetails implements UserDetailsService {

    private final UserRepository users;

    AccountUserDetails(UserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserAccount user = users.findByUsername(username)
                .filter(u -> u.passwordHash() != null)
                .orElseThrow(() -> new UsernameNotFoundException("no user '" + username + "' with a password"));
        return new Details(new Caller(user.id(), user.username(), user.admin()), user.passwordHash());
    }

    /**
     * The signed-in person. The session keeps it, serialized, in PostgreSQL (spring_session_attributes): once the
     * password has been checked Spring Security erases the hash from it, so sessions hold no password material.
     */
    static final class Details implements UserDetails, CallerPrincipal, CredentialsContainer {

        @Serial
        private static final long serialVersionUID = 1L;

        private final Caller caller;
        private @Nullable String passwordHash;

        Details(Caller caller, @Nullable String passwordHash) {
            this.caller = caller;
            this.passwordHash = passwordHash;
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public Collection<? extends GrantedAuthority> getAuthorities() {
            return caller.admin()
                    ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))
                    : List.of(new SimpleGrantedAuthority("ROLE_USER"));
        }

        @Override
        public @Nullable String getPassword() {
            return passwordHash;
        }

        @Override
        public String getUsername() {
            return caller.username();
        }

        @Override
        public void eraseCredentials() {
            passwordHash = null;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Details details && caller.equals(details.caller);
        }

        @Override
        public int hashCode() {
            return caller.hashCode();
        }
    }
}
