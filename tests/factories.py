"""Small factories for tests. `make_scoped(model, company)` builds one valid row of any company-scoped model;
apps register a builder for each of their models (the isolation test requires one for every model)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

_counter = itertools.count(1)
BUILDERS: dict[str, Callable] = {}


def builder(label: str):
    def register(fn: Callable) -> Callable:
        BUILDERS[label] = fn
        return fn

    return register


def make_company(name: str = "Entreprise", **fields):
    from etabli.core.services import companies

    return companies.create_company(legal_name=f"{name} {next(_counter)}", **fields)


def make_user(email: str | None = None, password: str = "mot-de-passe-solide-42", **fields):
    from etabli.core.models import User

    return User.objects.create_user(email=email or f"personne{next(_counter)}@exemple.fr", password=password, **fields)


def make_member(company, role: str = "owner", user=None):
    from etabli.core.models import Membership

    return Membership.objects.create(user=user or make_user(), company=company, role=role)


def make_scoped(model, company):
    label = model._meta.label
    if label not in BUILDERS:
        raise LookupError(f"No test builder for {label}: add one in tests/factories.py (isolation test needs it)")
    return BUILDERS[label](company)


@builder("core.ReviewItem")
def _review(company):
    from etabli.core.models import ReviewItem

    return ReviewItem.objects.create(company=company, kind="tests.note", title="Proposition de test",
                                     payload={"text": "bonjour"}, confidence=0.8, reasons=["raison"])


@builder("core.Alert")
def _alert(company):
    from etabli.core.models import Alert

    return Alert.objects.create(company=company, source="tests", code=f"code-{next(_counter)}", message="Alerte")


@builder("core.AIDecision")
def _decision(company):
    from etabli.core.services.ailog import log_decision

    return log_decision(company=company, use_case="core.review", engine="tests", input_data={"x": 1},
                        output={"y": 2}, confidence=0.5, explanation=["parce que"])


@builder("core.Job")
def _job(company):
    from etabli.core.models import Job

    return Job.objects.create(company=company, kind="core.export", label="Export", status="succeeded",
                              result={"path": "/nonexistent.zip"})


@builder("core.Membership")
def _membership(company):
    return make_member(company, "employee")


@builder("core.ApiToken")
def _token(company):
    from etabli.core.services import tokens

    member = make_member(company, "owner")
    return tokens.issue_token(user=member.user, company=company, name="t").token


@builder("core.WebhookEndpoint")
def _webhook(company):
    from etabli.core.services import webhooks

    return webhooks.create_endpoint(company=company, url="http://127.0.0.1:9/hook")


@builder("core.WebhookDelivery")
def _delivery(company):
    from etabli.core.models import WebhookDelivery

    return WebhookDelivery.objects.create(company=company, endpoint=_webhook(company), event="review.created",
                                          event_id="x", payload={})


@builder("core.TimeSaved")
def _time_saved(company):
    from etabli.core.models import TimeSaved

    return TimeSaved.objects.create(company=company, use_case="core.review", action="tests.action",
                                    minutes=Decimal("5"), occurred_at=timezone.now())


@builder("core.UseCaseCost")
def _cost(company):
    from etabli.core.models import UseCaseCost

    return UseCaseCost.objects.create(company=company, use_case=f"uc-{next(_counter)}", monthly_cost=Decimal("10"))


@builder("core.AutoRule")
def _rule(company):
    from etabli.core.models import AutoRule

    return AutoRule.objects.create(company=company, kind=f"kind-{next(_counter)}")


@builder("core.LLMSettings")
def _llm_settings(company):
    from etabli.core.models import LLMSettings

    return LLMSettings.objects.create(company=company, provider="none")


@builder("core.LLMUsage")
def _llm_usage(company):
    import datetime as dt

    from etabli.core.models import LLMUsage

    return LLMUsage.objects.create(company=company, month=dt.date(2026, 11, 1), tokens=10)


def _load_app_factories() -> None:
    """Each app keeps its builders in tests/apps/<app>/factories.py; load them all so that the isolation
    test sees every model."""
    import importlib
    import pkgutil
    from pathlib import Path

    apps_dir = Path(__file__).parent / "apps"
    for info in pkgutil.iter_modules([str(apps_dir)]):
        if (apps_dir / info.name / "factories.py").exists():
            importlib.import_module(f"tests.apps.{info.name}.factories")


_load_app_factories()
