"""Long jobs with progress: the worker updates a Job row, the UI polls it (progress bar), the CLI prints it.

A job kind is a function `fn(job, progress) -> dict` registered with `register_job_kind`; `start_job` creates
the row and enqueues the Huey task that runs it (immediately, in tests and `ETABLI_JOBS_IMMEDIATE=1`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from etabli.core.context import Actor, acting_as
from etabli.core.models import Company, Job, JobStatus

logger = logging.getLogger(__name__)

JobFunction = Callable[[Job, "Progress"], dict | None]
_JOB_KINDS: dict[str, JobFunction] = {}


class JobError(Exception):
    """A French reason a job failed (shown to the user as is)."""


class Progress:
    """Report progress from inside a job; throttled so a tight loop doesn't hammer the database."""

    def __init__(self, job: Job, echo: TextIO | None = None):
        self.job = job
        self.echo = echo
        self._last_written = -1.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        job = self.job
        job.progress = done
        if total is not None:
            job.total = total
        if message:
            job.message = message[:300]
        now = timezone.now().timestamp()
        if now - self._last_written >= 0.25 or (job.total and done >= job.total):
            Job.objects.filter(pk=job.pk).update(progress=job.progress, total=job.total, message=job.message)
            self._last_written = now
        if self.echo is not None:
            width = 30
            filled = int(width * done / job.total) if job.total else 0
            self.echo.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{job.total or '?'} {job.message[:60]}")
            self.echo.flush()


def register_job_kind(kind: str, fn: JobFunction) -> None:
    _JOB_KINDS[kind] = fn


def start_job(*, company: Company, kind: str, label: str, params: dict | None = None, user=None) -> Job:
    if kind not in _JOB_KINDS:
        raise JobError(f"Type de tâche inconnu : {kind}")
    job = Job.objects.create(
        company=company, kind=kind, label=label[:200], params=params or {},
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )

    def _enqueue() -> None:
        from etabli.core.tasks import run_job_task

        run_job_task(job.pk)

    transaction.on_commit(_enqueue)
    return job


def run_job(job_id: int, echo: TextIO | None = None) -> Job:
    """Run a queued job now (in the worker, or in the CLI process with a progress bar on `echo`)."""
    job = Job.objects.select_related("company").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    fn = _JOB_KINDS[job.kind]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    progress = Progress(job, echo)
    try:
        with acting_as(Actor(user_id=job.created_by_id, label=f"Tâche {job.kind}", channel="job")):
            result = fn(job, progress)
        job.status, job.result, job.error = JobStatus.SUCCEEDED, result or {}, ""
    except JobError as exc:
        job.status, job.error = JobStatus.FAILED, str(exc)
    except Exception as exc:  # a job failure must be visible, never crash the worker
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.status, job.error = JobStatus.FAILED, f"Erreur inattendue : {exc.__class__.__name__}: {exc}"[:2000]
    job.finished_at = timezone.now()
    job.save()
    if echo is not None:
        echo.write("\n")
    from etabli.core.services import webhooks

    webhooks.emit(
        company=job.company, event="job.finished",
        data={"id": job.pk, "kind": job.kind, "status": job.status, "error": job.error},
    )
    return job


def run_in_foreground(*, company: Company, kind: str, label: str, params: dict | None = None) -> Job:
    """The CLI path: same job row and function, run in this process with a progress bar on stderr."""
    if kind not in _JOB_KINDS:
        raise JobError(f"Type de tâche inconnu : {kind}")
    job = Job.objects.create(company=company, kind=kind, label=label[:200], params=params or {})
    return run_job(job.pk, echo=sys.stderr)
