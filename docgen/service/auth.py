"""Bearer tokens and roles: who may render, lint, waive and issue.

The configuration holds only each token's SHA-256. A presented token is hashed and
compared with every stored hash in constant time, and the loop never stops early, so the
response time says nothing about how close a guess was or which token matched.
"""

from __future__ import annotations

import hmac

from docgen.service.problems import ApiError
from docgen.service.settings import ApiToken, ServiceSettings, hash_token

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="docgen"'}

_ACTION_NAMES = {
    "render": "render documents (the writer or issuer role)",
    "lint": "lint documents (the writer, reviewer or issuer role)",
    "issue": "issue documents (the issuer role)",
    "waive": "waive findings (the reviewer role)",
    "read_register": "read the register",
}


def bearer_token(authorization: str | None) -> str | None:
    """Return the token from an ``Authorization: Bearer ...`` header, if there is one."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def find_token(settings: ServiceSettings, presented: str) -> ApiToken | None:
    """Return the configured token whose hash matches ``presented``, comparing every one."""
    digest = hash_token(presented)
    found: ApiToken | None = None
    for token in settings.tokens:
        if hmac.compare_digest(digest, token.sha256):
            found = token
    return found


def authorise(settings: ServiceSettings, authorization: str | None, action: str,
              *, anonymous_ok: bool = False) -> ApiToken | None:
    """Return the caller's token if it may do ``action``; raise 401 or 403 if not.

    ``None`` means an anonymous caller that ``anonymous_ok`` let through.
    """
    presented = bearer_token(authorization)
    if presented is None:
        if anonymous_ok:
            return None
        message = (
            f"This request needs an API token that may {_ACTION_NAMES[action]}. Send it as "
            "'Authorization: Bearer <token>'."
        )
        if authorization:
            message = ("The Authorization header is not a bearer token. " + message)
        raise ApiError(401, "token_required", message, headers=_CHALLENGE)
    token = find_token(settings, presented)
    if token is None:
        raise ApiError(
            401, "token_not_recognised",
            "This API token is not recognised. Check it was copied whole, or ask the "
            "service's administrator for a new one.",
            headers={"WWW-Authenticate": 'Bearer realm="docgen", error="invalid_token"'},
        )
    if action != "read_register" and not token.may(action):
        roles = ", ".join(sorted(token.roles))
        raise ApiError(
            403, "role_not_allowed",
            f"The token '{token.name}' ({roles}) may not {_ACTION_NAMES[action]}. Ask the "
            "service's administrator for a token with that role.",
        )
    return token
