package io.archfarm.portal.accounts;

/** A security principal that knows which farm user it is: API tokens, HTTP Basic and the sign-in form all give one. */
public interface CallerPrincipal {

    Caller caller();
}
