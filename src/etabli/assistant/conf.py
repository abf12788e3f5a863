"""Limits of the assistant, from environment variables with safe defaults.

Why here and not in settings.py: these knobs only concern the assistant (and the platform's settings file is
shared); each is read once per call through Django settings first (tests may override them there), then the
environment, then the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(name, "").strip()
        value = int(raw) if raw.isdigit() else default
    return max(0, int(value))


@dataclass(frozen=True)
class Limits:
    """What a public visitor may send, and how often (a chat endpoint on the internet is a target)."""

    max_chars: int
    max_body_bytes: int
    per_ip_minute: int
    per_ip_hour: int
    per_company_minute: int
    conversations_per_ip_hour: int
    messages_per_conversation: int
    lookup_attempts: int
    proxy_hops: int


def limits() -> Limits:
    """Current limits (env: ETABLI_ASSISTANT_MAX_CHARS, ETABLI_ASSISTANT_RATE_IP_MINUTE, …, see docs)."""
    return Limits(
        max_chars=_int("ETABLI_ASSISTANT_MAX_CHARS", 1000),
        max_body_bytes=_int("ETABLI_ASSISTANT_MAX_BODY_BYTES", 8192),
        per_ip_minute=_int("ETABLI_ASSISTANT_RATE_IP_MINUTE", 12),
        per_ip_hour=_int("ETABLI_ASSISTANT_RATE_IP_HOUR", 120),
        per_company_minute=_int("ETABLI_ASSISTANT_RATE_COMPANY_MINUTE", 240),
        conversations_per_ip_hour=_int("ETABLI_ASSISTANT_CONVERSATIONS_IP_HOUR", 30),
        messages_per_conversation=_int("ETABLI_ASSISTANT_MESSAGES_PER_CONVERSATION", 60),
        lookup_attempts=_int("ETABLI_ASSISTANT_LOOKUP_ATTEMPTS", 3),
        proxy_hops=_int("ETABLI_ASSISTANT_PROXY_HOPS", 0),
    )
