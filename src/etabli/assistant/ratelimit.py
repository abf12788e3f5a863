"""Rate limits of the public chat, per visitor IP and per company, counted on the stored messages.

Why count stored rows rather than a cache: the web server runs several processes (and possibly machines) and
Django's default cache is per process, so a counter kept there would multiply the limit by the number of
workers. Every accepted visitor message is stored anyway, with a keyed hash of the IP (never the IP itself):
counting them over a sliding window is exact across processes and needs no extra service. Refused messages are
not stored, so they do not prolong a lock-out. Two concurrent requests may both pass at the boundary: a limit
off by one is acceptable for this purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from etabli.assistant.conf import limits
from etabli.assistant.models import Conversation, Message, Sender


class RateLimited(Exception):
    """Too many messages: French message and the seconds to wait (Retry-After)."""

    def __init__(self, message: str, retry_after: int):
        self.message, self.retry_after = message, retry_after
        super().__init__(message)


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address a trusted reverse proxy appended to X-Forwarded-For
    (ETABLI_ASSISTANT_PROXY_HOPS = number of proxies in front of Établi; 0 = trust nothing)."""
    hops = limits().proxy_hops
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def ip_hash(ip: str) -> str:
    """Keyed hash (HMAC-SHA256 with the secret key): counts a visitor without keeping their address."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:40]


def check_message(*, company, visitor: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    lim = limits()
    minute, hour = now - dt.timedelta(minutes=1), now - dt.timedelta(hours=1)
    mine = Message.objects.filter(ip_hash=visitor, sender=Sender.CUSTOMER)
    if lim.per_ip_minute and mine.filter(created_at__gte=minute).count() >= lim.per_ip_minute:
        raise RateLimited("Vous envoyez beaucoup de messages : patientez une minute avant le suivant.", 60)
    if lim.per_ip_hour and mine.filter(created_at__gte=hour).count() >= lim.per_ip_hour:
        raise RateLimited("Limite de messages atteinte pour cette heure : réessayez plus tard ou appelez-nous.", 900)
    if lim.per_company_minute and Message.objects.filter(
        company=company, sender=Sender.CUSTOMER, created_at__gte=minute
    ).count() >= lim.per_company_minute:
        raise RateLimited("L'assistant reçoit beaucoup de messages en ce moment : réessayez dans une minute.", 60)


def check_conversation(*, visitor: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    cap = limits().conversations_per_ip_hour
    if cap and Conversation.objects.filter(ip_hash=visitor, started_at__gte=now - dt.timedelta(hours=1)).count() >= cap:
        raise RateLimited("Trop de conversations ouvertes depuis votre connexion : réessayez dans une heure.", 3600)
