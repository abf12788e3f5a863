import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from etabli.core.context import Actor, acting_as
from etabli.core.models import AuditEntry, Company, DeliveryStatus, Job, JobStatus, WebhookDelivery
from etabli.core.services import jobs, webhooks
from etabli.core.services.jobs import JobError
from tests.conftest import ROOT, database_url
from tests.factories import make_member


@pytest.mark.django_db
class TestAudit:
    def test_create_update_delete_are_logged_with_before_after_and_actor(self, owner):
        with acting_as(Actor(user_id=owner.user.pk, label=owner.user.email, channel="web", ip_address="10.0.0.1")):
            member = make_member(owner.company, "employee")
            member.role = "manager"
            member.save()
            member_pk = member.pk
            member.delete()
        entries = AuditEntry.objects.filter(model="core.Membership", object_id=str(member_pk)).order_by("id")
        assert [e.action for e in entries] == ["create", "update", "delete"]
        update = entries[1]
        assert update.changes == {"role": ["employee", "manager"]}
        assert (update.actor_id, update.channel, update.ip_address, update.company_id) == (
            owner.user.pk, "web", "10.0.0.1", owner.company.pk)

    def test_secrets_are_redacted(self, owner):
        owner.user.set_password("un-autre-secret-123")
        owner.user.save()
        entry = AuditEntry.objects.filter(model="core.User", action="update").latest("id")
        assert entry.changes["password"] == ["•••", "••• (modifié)"]
        assert "un-autre-secret" not in json.dumps(entry.changes)

    def test_audit_page_filters_for_the_owner_only(self, owner_client, owner, member_client):
        Company.objects.filter(pk=owner.company.pk).update(legal_name="x")  # bulk update: not via signals
        company = Company.objects.get(pk=owner.company.pk)
        company.trade_name = "Menuiserie Filtrée"
        company.save()
        def table(query):
            html = owner_client.get(f"/audit/?{query}").content.decode()
            return html[html.index("<tbody>"):html.index("</tbody>")]

        assert "Menuiserie Filtrée" in table("action=update&model=core.Company")
        assert "trade_name" in table("action=update&model=core.Company")
        assert "Menuiserie Filtrée" not in table("action=delete&model=core.Company")
        client, _ = member_client("manager")
        assert client.get("/audit/").status_code == 403


def _count_job(job, progress):
    total = job.params.get("n", 5)
    for i in range(total):
        progress(i + 1, total, f"Élément {i + 1}")
    if job.params.get("fail"):
        raise JobError("Le fichier source a disparu.")
    if job.params.get("crash"):
        raise ZeroDivisionError("boom")
    return {"done": total}


jobs.register_job_kind("tests.count", _count_job)


@pytest.mark.django_db
class TestJobs:
    def test_job_reports_progress_and_result(self, company, django_capture_on_commit_callbacks, capsys):
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_job(company=company, kind="tests.count", label="Compter", params={"n": 4})
        job.refresh_from_db()
        assert (job.status, job.progress, job.total, job.percent, job.result) == ("succeeded", 4, 4, 100, {"done": 4})

    def test_failures_are_visible_and_never_crash_the_runner(self, company):
        failed = jobs.run_in_foreground(company=company, kind="tests.count", label="x", params={"fail": True})
        crashed = jobs.run_in_foreground(company=company, kind="tests.count", label="x", params={"crash": True})
        assert failed.status == JobStatus.FAILED and failed.error == "Le fichier source a disparu."
        assert crashed.status == JobStatus.FAILED and crashed.error.startswith("Erreur inattendue : ZeroDivisionError")

    def test_unknown_kind_is_refused(self, company):
        with pytest.raises(JobError, match="inconnu"):
            jobs.start_job(company=company, kind="nope", label="x")

    def test_progress_partial_is_polled_by_htmx(self, owner_client, owner):
        job = Job.objects.create(company=owner.company, kind="tests.count", label="Import", status="running",
                                 progress=3, total=4, message="Ligne 3")
        html = owner_client.get(f"/taches/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
        assert 'value="75"' in html and 'hx-trigger="every 1s"' in html and "Ligne 3" in html


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_queued_jobs(company, tmp_path):
    """Huey with SQLite storage, a real consumer process (`etabli worker`), the job found by the queue."""
    from huey.contrib.djhuey import HUEY

    queue_file = tmp_path / "jobs.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"), "DATABASE_URL": database_url(),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), "ETABLI_JOBS_IMMEDIATE": "0"}
    previous = (HUEY.immediate, HUEY.storage_kwargs.get("filename"))
    HUEY.storage_kwargs["filename"] = str(queue_file)
    HUEY.immediate = False
    HUEY.storage = HUEY.create_storage()
    env["ETABLI_QUEUE_FILE"] = str(queue_file)
    worker = subprocess.Popen([sys.executable, "-m", "etabli.cli", "worker", "--workers", "1"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        job = jobs.start_job(company=company, kind="core.export", label="Export par le travailleur")
        deadline = time.time() + 60
        while time.time() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.3)
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert job.result["tables"] >= 3
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        HUEY.immediate, HUEY.storage_kwargs["filename"] = previous
        HUEY.storage = HUEY.create_storage()


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append((dict(self.headers), body))
        self.send_response(_Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received, _Receiver.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.mark.django_db
class TestWebhooks:
    def test_signed_delivery_to_a_real_http_receiver(self, company, receiver):
        endpoint = webhooks.create_endpoint(company=company, url=f"http://127.0.0.1:{receiver.server_port}/n8n")
        delivery = WebhookDelivery.objects.create(company=company, endpoint=endpoint, event="alert.raised",
                                                  event_id="abc", payload={"event": "alert.raised", "data": {"id": 1}})
        assert webhooks.deliver(delivery) is True
        headers, body = _Receiver.received[0]
        assert headers["X-Etabli-Event"] == "alert.raised"
        assert webhooks.verify(endpoint.secret, headers["X-Etabli-Signature"], body)
        assert not webhooks.verify("mauvais-secret", headers["X-Etabli-Signature"], body)
        assert not webhooks.verify(endpoint.secret, headers["X-Etabli-Signature"], body + b" ")
        assert not webhooks.verify(endpoint.secret, headers["X-Etabli-Signature"], body, now=time.time() + 3600)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SUCCEEDED and json.loads(body)["data"] == {"id": 1}

    def test_failed_deliveries_are_retried_then_marked_failed(self, company, receiver):
        _Receiver.status = 500
        endpoint = webhooks.create_endpoint(company=company, url=f"http://127.0.0.1:{receiver.server_port}/x")
        delivery = WebhookDelivery.objects.create(company=company, endpoint=endpoint, event="alert.raised",
                                                  event_id="e", payload={})
        for _ in range(webhooks.MAX_ATTEMPTS):
            assert webhooks.deliver(delivery) is False
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 5, "Réponse HTTP 500")

    def test_endpoint_rules(self, company):
        with pytest.raises(webhooks.WebhookError, match="http"):
            webhooks.create_endpoint(company=company, url="ftp://x")
        with pytest.raises(webhooks.WebhookError, match="non déclaré"):
            webhooks.emit(company=company, event="inventé", data={})
