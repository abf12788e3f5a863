"""The daily digest e-mail: today's alerts, proposals waiting for a decision and yesterday's time saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from etabli.core import selectors
from etabli.core.models import Company, Membership, Role, User

DIGEST_ROLES = (Role.OWNER, Role.MANAGER, Role.ACCOUNTANT)


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str
    is_empty: bool


def build_digest(*, company: Company, user: User, now: dt.datetime | None = None) -> Digest:
    now = now or timezone.now()
    alerts = list(selectors.active_alerts(company=company, now=now)[:20])
    reviews = list(selectors.pending_reviews(company=company)[:20])
    pending_count = selectors.pending_reviews(company=company).count()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    minutes = selectors.minutes_saved_on(company=company, day=yesterday)
    context = {
        "company": company,
        "user": user,
        "alerts": alerts,
        "reviews": reviews,
        "pending_count": pending_count,
        "minutes_saved": minutes,
        "site_url": settings.SITE_URL,
        "day": timezone.localdate(now),
    }
    subject = f"[Établi] {company} — {len(alerts)} alerte(s), {pending_count} proposition(s) à valider"
    return Digest(
        subject=subject,
        text=render_to_string("core/email/digest.txt", context),
        html=render_to_string("core/email/digest.html", context),
        is_empty=not alerts and not pending_count,
    )


def recipients(company: Company) -> list[User]:
    memberships = Membership.objects.filter(
        company=company, is_active=True, role__in=DIGEST_ROLES, user__is_active=True, user__digest_opt_in=True
    ).select_related("user")
    return [m.user for m in memberships]


def send_digest(*, company: Company, now: dt.datetime | None = None, send_empty: bool = False) -> int:
    """Send the digest to each opted-in owner/manager/accountant; returns the number of e-mails sent."""
    sent = 0
    for user in recipients(company):
        digest = build_digest(company=company, user=user, now=now)
        if digest.is_empty and not send_empty:
            continue
        message = EmailMultiAlternatives(digest.subject, digest.text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(digest.html, "text/html")
        message.send()
        sent += 1
    return sent
