"""What happens when the model costs too much, is not configured, answers garbage or hangs: the templates
write, the French reason is shown, no request hangs, nothing is lost — and without a provider no network
call is made at all."""

import datetime as dt
import socket
import time

import pytest

from etabli.core.models import AIDecision, LLMSettings, LLMUsage
from etabli.writing import services
from etabli.writing.models import Batch
from tests.apps.writing.factories import WEEK, make_posts_batch
from tests.engines.llm.servers import read_request, socket_server

pytestmark = pytest.mark.django_db


class TestBudget:
    def test_a_tiny_cap_means_templates_with_the_french_reason_and_no_call(self, company, profile, use_server):
        server = use_server(monthly_token_limit=50)
        batch = make_posts_batch(company)
        assert server.requests == []
        assert all(not d.generated_by_ai for d in batch.drafts.all())
        assert all("Budget IA mensuel" in d.fallback_reason and "modèle de texte" in d.fallback_reason
                   for d in batch.drafts.all())
        refused = AIDecision.objects.filter(company=company, use_case="writing.posts", engine="llm:openai-compatible")
        assert refused.count() == 3 and all(d.output["ok"] is False for d in refused)

    def test_the_80_percent_warning_reaches_the_page(self, company, profile, use_server, owner_client):
        use_server(monthly_token_limit=100_000)
        LLMUsage.objects.create(company=company, month=dt.date.today().replace(day=1), tokens=85_000)
        batch = make_posts_batch(company, themes=["conseil"])
        assert batch.result["budget_warning"] and "85" in batch.result["budget_message"]
        page = owner_client.get(f"/redaction/demandes/{batch.pk}/").content.decode()
        assert batch.result["budget_message"] in page


def test_no_network_call_when_no_model_is_configured(monkeypatch, company, profile, owner):
    """Every feature through the app's services with sockets refused (SQLite or an open PostgreSQL
    connection need none)."""
    from tests.apps.writing.test_email import eml

    def refuse(*args, **kwargs):
        raise AssertionError("appel réseau interdit")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    batches = [
        services.request_posts(company=company, themes="conseil,temoignage,offre,coulisses,evenement",
                               networks="facebook,instagram,linkedin,x", week_start=WEEK),
        services.request_products(company=company, data="nom;origine\nThé vert;Japon\n".encode(), run="inline"),
        services.request_email(company=company, raw=eml()),
        services.request_job_ad(company=company, brief="Menuisier poseur, CDI, Nantes"),
        services.request_blog_outline(company=company, brief="Comment choisir son parquet"),
    ]
    assert [b.status for b in batches] == ["done"] * 5
    assert all(b.provider == "template" for b in batches)
    for batch in batches:
        draft = batch.drafts.first()
        services.approve_draft(company=company, draft_id=draft.pk, user=owner.user)
    assert Batch.objects.filter(company=company).count() == 5


def garbage(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n<html>oups!")
    conn.close()


def hang(conn, stop):
    read_request(conn)
    stop.wait(30)


class TestBrokenProviders:
    def test_a_server_answering_garbage(self, company, profile):
        with socket_server(garbage) as server:
            LLMSettings.objects.create(company=company, provider="openai-compatible", url=server.url, model="m")
            batch = make_posts_batch(company)
        drafts = list(batch.drafts.all())
        assert batch.status == "done" and len(drafts) == 3 and all(not d.generated_by_ai for d in drafts)
        assert "Le modèle d'IA est indisponible" in drafts[0].fallback_reason
        assert "pas sollicité à nouveau" in drafts[1].fallback_reason  # the first failure stops the others

    def test_a_hanging_server_times_out_once_and_the_templates_finish_the_job(self, company, profile, monkeypatch):
        with socket_server(hang) as server:
            monkeypatch.setenv("ETABLI_LLM_URL", server.url)
            monkeypatch.setenv("ETABLI_LLM_MODEL", "m")
            monkeypatch.setenv("ETABLI_LLM_TIMEOUT", "1")
            started = time.monotonic()
            batch = make_posts_batch(company)
            elapsed = time.monotonic() - started
            connections = server.connections
        assert batch.status == "done" and batch.drafts.count() == 3
        first = batch.drafts.order_by("position").first()
        assert "n'a pas répondu à temps" in first.fallback_reason
        assert connections == 1, "after a timeout the model is not asked again for the same request"
        assert elapsed < 20  # bounded by the 1 s timeout, not by the 30 s the server would hang
