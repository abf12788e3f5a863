"""Fixtures of the billing tests: a company with a legal identity, customers, a real SMTP server."""

from __future__ import annotations

import socket

import pytest

from tests.apps.billing.factories import make_customer, setup_company


@pytest.fixture
def billing_company(company):
    return setup_company(company)


@pytest.fixture
def customer(billing_company):
    return make_customer(billing_company)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend talks to it."""
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()
