"""Outgoing webhooks signed with HMAC-SHA256, so n8n/Zapier-style tools can react to events.

The receiver checks `X-Etabli-Signature: t=<unix time>,v1=<hex>` where hex = HMAC-SHA256(secret,
"<t>.<raw body>"), and may reject old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid

import httpx
from django.db import transaction
from django.utils import timezone

from etabli.core.models import Company, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from etabli.core.registry import registry

SIGNATURE_HEADER = "X-Etabli-Signature"
TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 5


class WebhookError(ValueError):
    pass


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, tolerance_seconds: int = 300, now: float | None = None) -> bool:
    """Receiver-side check (used in tests and documented for integrators)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def create_endpoint(*, company: Company, url: str, events: list[str] | None = None) -> WebhookEndpoint:
    unknown = [e for e in events or [] if e not in registry.webhook_events]
    if unknown:
        raise WebhookError(f"Événement inconnu : {', '.join(unknown)}")
    if not url.startswith(("http://", "https://")):
        raise WebhookError("L'adresse du webhook doit commencer par http:// ou https://.")
    return WebhookEndpoint.objects.create(
        company=company, url=url, events=list(events or []), secret=secrets.token_urlsafe(32)
    )


def emit(*, company: Company, event: str, data: dict) -> None:
    """Queue the event for every active endpoint of the company that wants it, once the transaction commits."""
    if event not in registry.webhook_events:
        raise WebhookError(f"Événement non déclaré : {event}")

    def _create_deliveries() -> None:
        endpoints = [e for e in WebhookEndpoint.objects.filter(company=company, is_active=True) if e.wants(event)]
        for endpoint in endpoints:
            event_id = uuid.uuid4().hex
            payload = {
                "id": event_id,
                "event": event,
                "company": company.slug if hasattr(company, "slug") and company.slug else company.pk,
                "created_at": timezone.now().isoformat(),
                "data": data,
            }
            delivery = WebhookDelivery.objects.create(
                company_id=company.pk, endpoint=endpoint, event=event, event_id=event_id, payload=payload
            )
            from etabli.core.tasks import deliver_webhook

            deliver_webhook(delivery.pk)

    transaction.on_commit(_create_deliveries)


def deliver(delivery: WebhookDelivery) -> bool:
    """POST one delivery. Returns True on a 2xx answer; records the attempt either way."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Etabli-Webhooks/1",
        "X-Etabli-Event": delivery.event,
        "X-Etabli-Delivery": delivery.event_id,
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, int(time.time()), body),
    }
    delivery.attempts += 1
    try:
        response = httpx.post(delivery.endpoint.url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
        delivery.last_status_code = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else f"Réponse HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        ok = False
        delivery.last_error = f"Échec de connexion : {exc.__class__.__name__}"
    if ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at"])
    return ok
