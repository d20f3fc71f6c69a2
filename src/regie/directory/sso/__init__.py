"""Single sign-on with OpenID Connect: Entra ID first, any certified provider alike.

The authorisation code flow with PKCE, state and nonce runs through Authlib's Django client;
the ID token's signature is checked against the provider's published keys (JWKS) and its
issuer, audience, expiry and nonce against what Régie expects (``provider``). The verified
claims then pick the person by the directory's permanent id and set the account's role
(``services``). Off when ``REGIE_OIDC_TENANT_ID`` or ``REGIE_OIDC_ISSUER`` is not set.
"""
