"""Billing app benchmark: scoring 10 000 open invoices end to end (database → engine → stored scores) and
issuing an invoice with its Factur-X PDF.

Targets (issue 3): scoring 10 000 open invoices in under 2 s; issuing an invoice PDF in under 0.5 s.
Runs on a throw-away SQLite database (or DATABASE_URL) in a temporary ETABLI_DATA_DIR: migrations, the demo
company (Menuiserie Martin, ≈1 000 invoices of history), then 10 000 more open invoices spread over its
customers (bulk insert). What is timed:
- scoring: reading the invoices and building the engine's records, predicting with the fitted model
  (probabilities, explanations, French reasons, payment dates), writing the results back; the model fit,
  done once a day, is timed apart;
- issuing: `issue_invoice` (gapless number, frozen parties and mentions, CII XML with the XSD check,
  ReportLab page, PDF/A output intent, Factur-X attachment, stored file and hash), and the PDF alone.

Usage: .venv/bin/python benchmarks/billing.py [--open 10000] [--issues 30]
Prints a table, then one JSON line with every figure (timings taken on a shared, loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django(data_dir: str) -> None:
    os.environ["ETABLI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etabli.settings")
    os.environ["ETABLI_JOBS_IMMEDIATE"] = "1"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=10_000, help="open invoices to score")
    parser.add_argument("--issues", type=int, default=30, help="invoices to issue (timed one by one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="etabli-bench-billing-") as data_dir:
        setup_django(data_dir)
        figures = run(args.open, args.issues)
    print(json.dumps({"benchmark": "billing", "python": platform.python_version(), **figures}, default=str))


def run(n_open: int, n_issues: int) -> dict:
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from etabli.billing import services
    from etabli.billing.models import Direction, Invoice, InvoiceLine, InvoiceStatus, Partner
    from etabli.billing.services import risk
    from etabli.billing.services.output import build_pdf
    from etabli.core.demo.loader import load_demo

    today = timezone.localdate()
    started = time.perf_counter()
    company = load_demo(seed=1, today=today).company
    demo_seconds = time.perf_counter() - started

    # The daily fit on the demo's history (≈1 000 invoices, 26 months), timed apart: it runs once a day.
    started = time.perf_counter()
    risk.score_company(company=company, refit=True, log=False)
    fit_seconds = time.perf_counter() - started

    # 10 000 more open invoices, issued over the last 60 days, spread over the demo's customers.
    rng = random.Random(1)
    customers = list(Partner.objects.for_company(company).filter(kind="customer"))
    rows = []
    for index in range(n_open):
        customer = rng.choice(customers)
        issued = today - dt.timedelta(days=rng.randint(0, 60))
        ht = Decimal(rng.randint(200, 8000))
        rows.append(
            Invoice(
                company=company,
                direction=Direction.CUSTOMER,
                number=f"BENCH-{index:06d}",
                status=InvoiceStatus.ISSUED,
                partner=customer,
                issue_date=issued,
                due_date=issued + dt.timedelta(days=customer.payment_terms_days),
                payment_terms_days=customer.payment_terms_days,
                total_ht=ht,
                total_tva=ht / 5,
                total_ttc=ht * 6 / 5,
                vat_breakdown=[{"category": "S", "rate": "20", "base": str(ht), "vat": str(ht / 5)}],
            )
        )
    started = time.perf_counter()
    Invoice.objects.bulk_create(rows, batch_size=1000)
    insert_seconds = time.perf_counter() - started

    # Scoring every open invoice with the day's model (no new outcome: the fitted model is reused).
    runs, steps = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        timings: dict = {}
        results = risk.score_company(company=company, log=False, timings=timings)
        runs.append({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu})
        steps.append(timings)
    scored = len(results)
    open_count = scored

    # Issuing: one draft per run, issued (number + freeze + XML + PDF/A + Factur-X + storage), no scoring.
    customer = next(c for c in customers if c.legal_type == "company" and c.siren)
    lines = [
        {
            "description": "Fenêtre bois double vitrage sur mesure",
            "quantity": 2,
            "unit_price": 890,
            "vat_rate": 20,
            "item_kind": "goods",
        },
        {
            "description": "Pose et ajustage",
            "quantity": 6,
            "unit_price": 52,
            "vat_rate": 20,
            "item_kind": "service",
        },
        {
            "description": "Déplacement",
            "quantity": 1,
            "unit_price": 45,
            "vat_rate": 20,
            "item_kind": "service",
        },
    ]
    issue_times, pdf_times = [], []
    for _ in range(n_issues):
        draft = services.create_invoice(company=company, partner_id=customer.pk, lines=lines)
        started = time.perf_counter()
        invoice = services.issue_invoice(company=company, invoice_id=draft.pk, score=False)
        issue_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        build_pdf(invoice)
        pdf_times.append(time.perf_counter() - started)
    assert invoice.pdf_sha256 and InvoiceLine.objects.filter(invoice=invoice).count() == 3

    best = min(r["wall"] for r in runs)
    print(
        f"Base : {connection.vendor}, démo chargée en {demo_seconds:.1f} s (tous modules), {n_open} factures "
        f"ouvertes ajoutées en {insert_seconds:.1f} s ; {open_count} factures ouvertes notées."
    )
    print(f"{'mesure':<58} {'valeur':>12}")
    print(f"{'ajustement quotidien du modèle (historique de la démo)':<58} {fit_seconds:>10.2f} s")
    for i, (run_, step) in enumerate(zip(runs, steps, strict=True), 1):
        print(
            f"{f'score de {scored} factures ouvertes, passe {i} (mur / CPU)':<58} {run_['wall']:>6.2f} / "
            f"{run_['cpu']:.2f} s"
        )
        print(
            f"{'  lecture / calcul (moteur) / écriture':<58} {step['read']:>6.2f} / {step['score']:.2f} / "
            f"{step['store']:.2f} s"
        )
    print(
        f"{f'émission facture + PDF Factur-X, médiane sur {n_issues}':<58} {statistics.median(issue_times):>10.3f} s"
    )
    print(f"{'émission, 95e centile':<58} {percentile(issue_times, 0.95):>10.3f} s")
    print(
        f"{'PDF Factur-X seul (XML + XSD + page + PDF/A), médiane':<58} {statistics.median(pdf_times):>10.3f} s"
    )
    print(
        f"cibles : score de 10 000 factures < 2 s ; émission d'un PDF < 0,5 s — charge moyenne "
        f"{os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs (machine partagée)"
    )
    return {
        "database": connection.vendor,
        "demo_seconds": demo_seconds,
        "open_invoices": open_count,
        "scored": scored,
        "daily_fit_seconds": fit_seconds,
        "score_runs": runs,
        "score_steps": steps,
        "score_best_wall": best,
        "issue_seconds": issue_times,
        "issue_median": statistics.median(issue_times),
        "issue_p95": percentile(issue_times, 0.95),
        "pdf_median": statistics.median(pdf_times),
        "load_average_1min": os.getloadavg()[0],
    }


if __name__ == "__main__":
    main()
