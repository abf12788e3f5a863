"""Shared fixtures: companies, members by role, logged-in clients, API tokens, subprocess environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_company, make_member

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def company(db):
    return make_company("Menuiserie Test")


@pytest.fixture
def other_company(db):
    return make_company("Autre Entreprise")


@pytest.fixture
def owner(company):
    return make_member(company, "owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


@pytest.fixture
def member_client(client, company):
    """A function giving a logged-in client for a member with the given role in `company`."""

    def _client(role: str):
        membership = make_member(company, role)
        client.force_login(membership.user)
        return client, membership

    return _client


@pytest.fixture
def api_token(owner):
    from etabli.core.services import tokens

    return tokens.issue_token(user=owner.user, company=owner.company, name="tests").plain


@pytest.fixture
def api_client(client, api_token):
    """A Django test client sending the bearer token."""

    class ApiClient:
        def __init__(self, token):
            self.token = token

        def _headers(self, extra):
            return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}

        def get(self, path, **extra):
            return client.get(path, **self._headers(extra))

        def post(self, path, data=None, **extra):
            return client.post(path, data=data or {}, content_type="application/json", **self._headers(extra))

        def patch(self, path, data=None, **extra):
            return client.patch(path, data=data or {}, content_type="application/json", **self._headers(extra))

        def delete(self, path, **extra):
            return client.delete(path, **self._headers(extra))

    return ApiClient(api_token)


def database_url() -> str:
    """The URL of the database the tests are using (the test database), for subprocesses."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (f"postgres://{settings['USER']}:{settings.get('PASSWORD') or ''}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}")


@pytest.fixture
def run_cli(transactional_db):
    """Run the real `etabli` console script in a subprocess against the test database."""

    def _run(*args: str, env: dict | None = None, timeout: int = 120, input: str | None = None):
        full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"), "DATABASE_URL": database_url(),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), **(env or {})}
        return subprocess.run([sys.executable, "-m", "etabli.cli", *args], capture_output=True, text=True,
                              env=full_env, timeout=timeout, input=input, cwd=ROOT)

    return _run


# --- A review handler and a time-saved action owned by the tests (as an app would register them) ----------

def _apply_test_note(item, payload, user):
    """Applies a test proposal by raising a real alert, so acceptance has an observable, rollback-able effect."""
    from etabli.core.models import Alert
    from etabli.core.services.reviews import ReviewApplyError

    Alert.objects.create(company=item.company, source="tests", code=f"applied-{item.pk}",
                         message=str(payload.get("text", "")))
    if payload.get("fail"):
        raise ReviewApplyError("Le destinataire n'a pas d'adresse e-mail.")
    return {"applied_text": payload.get("text")}


def _register_test_handlers():
    from etabli.core.registry import (EditField, ReviewHandler, register_review_handler, register_time_saved_action,
                                      register_use_case, registry)

    if "tests.note" in registry.review_handlers:
        return
    register_use_case("tests.notes", "Notes de test")
    register_time_saved_action("tests.action", use_case="tests.notes", label="Note de test appliquée", default_minutes=6)
    register_review_handler(ReviewHandler(
        kind="tests.note", label="Note de test", use_case="tests.notes", apply=_apply_test_note,
        time_saved_action="tests.action",
        edit_fields=(EditField("text", "Texte", "textarea"), EditField("amount", "Montant", "decimal", required=False),
                     EditField("day", "Date", "date", required=False)),
    ))
    register_review_handler(ReviewHandler(
        kind="tests.manual_only", label="Toujours manuel", use_case="tests.notes", apply=_apply_test_note,
        auto_allowed=False, permission="settings.admin",
    ))


_register_test_handlers()
