"""Who is acting right now (a person on the web, an API token, the CLI, a background job).

The audit log needs the author of each write without every service passing it down: the web middleware,
the API authentication, the CLI and the job runner set it in a context variable for the duration of the work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    label: str = ""
    channel: str = "system"  # web | api | cli | job | system
    ip_address: str | None = None


SYSTEM = Actor(label="Système", channel="system")
_actor: ContextVar[Actor] = ContextVar("etabli_actor", default=SYSTEM)
_audit_suspended: ContextVar[bool] = ContextVar("etabli_audit_suspended", default=False)


def current_actor() -> Actor:
    return _actor.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def actor_for_user(user, channel: str, ip_address: str | None = None, label: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(label=label or "Anonyme", channel=channel, ip_address=ip_address)
    return Actor(user_id=user.pk, label=label or user.email, channel=channel, ip_address=ip_address)


def audit_is_suspended() -> bool:
    return _audit_suspended.get()


@contextmanager
def audit_suspended() -> Iterator[None]:
    """For bulk loads (the demo generator) that log one summary entry instead of one row per write."""
    token = _audit_suspended.set(True)
    try:
        yield
    finally:
        _audit_suspended.reset(token)
