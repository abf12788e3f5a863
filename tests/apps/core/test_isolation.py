"""Company isolation, proved for every company-scoped model, every view and API route with an object id,
exports and background jobs. New apps are covered automatically: their models need a test builder, their
views a `scoped_model`, and these tests fail until they have them."""

import re
import zipfile

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from etabli.core.models import Company
from etabli.core.services import jobs
from etabli.core.services.export import company_models, export_company
from tests.factories import BUILDERS, make_company, make_member, make_scoped


def iter_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from iter_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def ui_object_routes():
    return [(route, p) for route, p in iter_patterns() if "<int:pk>" in route and not route.startswith("api/")]


def test_every_business_model_is_company_scoped_and_has_a_builder():
    scoped = {m._meta.label for m in company_models()}
    etabli_models = [m for m in apps.get_models() if m._meta.app_config.name.startswith("etabli.")]
    global_models = {"core.User", "core.Company", "core.AuditEntry"}  # AuditEntry has a nullable company FK
    for model in etabli_models:
        label = model._meta.label
        if label in global_models:
            continue
        assert label in scoped, f"{label} has no company foreign key"
        assert label in BUILDERS, f"{label} has no test builder in tests/factories.py"


def test_every_ui_route_with_an_id_declares_its_scoped_model():
    routes = ui_object_routes()
    assert routes, "expected object routes"
    for route, pattern in routes:
        assert getattr(pattern.callback, "scoped_model", None) is not None, f"/{route} does not declare scoped_model"


@pytest.mark.django_db
def test_no_view_reads_or_writes_another_companys_row(client):
    mine, theirs = make_company("Mienne"), make_company("Autre")
    owner = make_member(mine, "owner")
    client.force_login(owner.user)
    for route, pattern in ui_object_routes():
        foreign = make_scoped(pattern.callback.scoped_model, theirs)
        before = {f.attname: getattr(foreign, f.attname) for f in foreign._meta.concrete_fields}
        url = "/" + route.replace("<int:pk>", str(foreign.pk))
        assert client.get(url).status_code in (404, 405), f"GET {url} served another company's row"
        assert client.post(url, {"action": "remove", "role": "owner", "reason": "x", "days": "1"}).status_code == 404, (
            f"POST {url} touched another company's row")
        foreign.refresh_from_db()
        after = {f.attname: getattr(foreign, f.attname) for f in foreign._meta.concrete_fields}
        assert after == before, f"POST {url} changed another company's row"


@pytest.mark.django_db
def test_no_api_route_reads_or_writes_another_companys_row(client):
    from etabli.api import api  # noqa: F401 - imported for its side effect: every router is mounted
    from etabli.core.services import tokens

    mine, theirs = make_company("Mienne"), make_company("Autre")
    owner = make_member(mine, "owner")
    token = tokens.issue_token(user=owner.user, company=mine, name="t").plain
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    models_by_param = {"review_id": "core.ReviewItem", "alert_id": "core.Alert", "decision_id": "core.AIDecision",
                       "job_id": "core.Job", "webhook_id": "core.WebhookEndpoint",
                       # billing (added by the billing app: its API routes take these ids)
                       "partner_id": "billing.Partner", "quote_id": "billing.Quote", "invoice_id": "billing.Invoice",
                       # documents (added by the documents app)
                       "document_id": "documents.Document",
                       # writing
                       "batch_id": "writing.Batch", "draft_id": "writing.Draft",
                       # banking
                       "account_id": "banking.BankAccount", "statement_id": "banking.StatementImport",
                       "line_id": "banking.BankLine", "rule_id": "banking.CategoryRule"}
    checked = 0
    for route, pattern in iter_patterns():
        if not route.startswith("api/v1/") or "<" not in route:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        assert all(p in models_by_param for p in params), f"/{route}: add its id parameter to this isolation test"
        url = "/" + route
        for param in params:
            foreign = make_scoped(apps.get_model(models_by_param[param]), theirs)
            url = re.sub(rf"<(?:\w+:)?{param}>", str(foreign.pk), url)
        for method in ("get", "post", "delete"):
            kwargs = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
            response = getattr(client, method)(url, **kwargs, **auth)
            assert response.status_code in (404, 405), f"{method.upper()} {url} → {response.status_code}"
        checked += 1
    assert checked >= 6


@pytest.mark.django_db
def test_export_contains_only_the_companys_rows(tmp_path):
    mine, theirs = make_company("Mienne"), make_company("Autre")
    for label in BUILDERS:
        try:
            model = apps.get_model(label)
        except LookupError:  # builder of an app not installed in this configuration
            continue
        make_scoped(model, mine)
        make_scoped(model, theirs)
    out = tmp_path / "export.zip"
    manifest = export_company(mine, out)
    with zipfile.ZipFile(out) as archive:
        import json

        for name in archive.namelist():
            if name.startswith("tables/") and name.endswith(".json"):
                for row in json.loads(archive.read(name)):
                    if "company_id" in row:
                        assert row["company_id"] == mine.pk, f"{name} leaks company {row['company_id']}"
    assert manifest["tables"]["core.reviewitem"]["rows"] == 1


@pytest.mark.django_db
def test_background_job_only_touches_its_company(django_capture_on_commit_callbacks):
    mine, theirs = make_company("Mienne"), make_company("Autre")
    make_scoped(apps.get_model("core.ReviewItem"), theirs)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(company=mine, kind="core.export", label="Export")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    with zipfile.ZipFile(job.result["path"]) as archive:
        assert b"Proposition de test" not in archive.read("tables/core.reviewitem.json")
    assert Company.objects.count() == 2
