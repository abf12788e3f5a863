"""Per-user API tokens scoped to one company. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from etabli.core.models import ApiToken, Company, Membership, User

TOKEN_PREFIX = "etb"


class TokenError(Exception):
    def __init__(self, message: str, code: str = "invalid_token"):
        self.message = message
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plain: str


def hash_secret(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def issue_token(
    *, user: User, company: Company, name: str, expires_in_days: int | None = 90, read_only: bool = False
) -> IssuedToken:
    if not Membership.objects.filter(user=user, company=company, is_active=True).exists():
        raise TokenError("Vous n'avez pas accès à cette entreprise.", code="forbidden")
    if not name.strip():
        raise TokenError("Donnez un nom au jeton (ex. « n8n »).", code="invalid")
    if expires_in_days is not None and not 1 <= expires_in_days <= 730:
        raise TokenError("La durée de validité doit être comprise entre 1 et 730 jours.", code="invalid")
    prefix = secrets.token_hex(4)
    plain = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        company=company,
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        token_hash=hash_secret(plain),
        read_only=read_only,
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return IssuedToken(token, plain)


def authenticate(plain: str) -> tuple[ApiToken, Membership]:
    """Resolve a bearer token to its token row and the member it acts as; French errors otherwise."""
    token = ApiToken.objects.select_related("user", "company").filter(token_hash=hash_secret(plain or "")).first()
    if token is None:
        raise TokenError("Jeton d'API inconnu.")
    if token.revoked_at is not None:
        raise TokenError("Ce jeton d'API a été révoqué.", code="revoked_token")
    if token.expires_at is not None and token.expires_at <= timezone.now():
        raise TokenError("Ce jeton d'API a expiré : créez-en un nouveau dans les réglages.", code="expired_token")
    if not token.user.is_active:
        raise TokenError("Le compte lié à ce jeton est désactivé.", code="inactive_user")
    membership = Membership.objects.filter(user=token.user, company=token.company, is_active=True).first()
    if membership is None:
        raise TokenError("Le compte lié à ce jeton n'a plus accès à cette entreprise.", code="forbidden")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, membership


def revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
