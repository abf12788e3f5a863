"""Gapless, chronological numbering per company, series and year ("FA-2026-00042").

How it stays gapless under concurrency: the sequence row is locked with SELECT … FOR UPDATE inside the
issuing transaction; a second issuer waits for the first to commit, then reads the new last number. If the
issuing transaction fails, the increment rolls back with it, so no number is ever lost. SQLite serialises
writers anyway (BEGIN IMMEDIATE). The first use of a series creates its row in a savepoint; two creators
racing collide on the unique constraint and the loser simply locks the winner's row.

Chronological: an invoice may not be dated before the last one issued in its series (CGI 242 nonies A:
"une séquence chronologique et continue").
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from etabli.billing.errors import BillingError
from etabli.billing.models import NumberSequence
from etabli.common.formats import format_date
from etabli.core.models import Company


def format_number(series: str, year: int, number: int) -> str:
    return f"{series}-{year}-{number:05d}"


def _locked_sequence(company: Company, series: str, year: int) -> NumberSequence:
    if not NumberSequence.objects.filter(company=company, series=series, year=year).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(company=company, series=series, year=year)
        except IntegrityError:
            pass  # a concurrent issuer created it: lock theirs below
    return NumberSequence.objects.select_for_update().get(company=company, series=series, year=year)


def next_number(*, company: Company, series: str, issue_date: dt.date) -> tuple[str, int, int]:
    """Take the next number of the series for the year of `issue_date`. Must run inside the transaction
    that stores the numbered document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    sequence = _locked_sequence(company, series, issue_date.year)
    if sequence.last_issue_date and issue_date < sequence.last_issue_date:
        raise BillingError(
            f"La date d'émission ({format_date(issue_date)}) précède celle du dernier document de la série "
            f"{series} ({format_date(sequence.last_issue_date)}) : la numérotation doit rester chronologique.",
            field_errors={"issue_date": "Date antérieure au dernier document émis."},
        )
    sequence.last_number += 1
    sequence.last_issue_date = issue_date
    sequence.save(update_fields=["last_number", "last_issue_date"])
    return format_number(series, issue_date.year, sequence.last_number), issue_date.year, sequence.last_number


def peek_next(*, company: Company, series: str, year: int) -> str:
    """The number the next document would get (display only: never reserved)."""
    sequence = NumberSequence.objects.filter(company=company, series=series, year=year).first()
    return format_number(series, year, (sequence.last_number if sequence else 0) + 1)
