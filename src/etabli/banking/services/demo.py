"""Demo loader « banque »: the demo company's bank account and its 24 months of bank lines, linked to the invoices
they paid, categorised, then analysed (recurring charges, spending alerts, cash forecast and its alerts).

Fast and bulk: the lines and the links are inserted with `bulk_create`. The demo's payments are real — billing's
demo loader already recorded them (`external_ref = demo:<numéro>:<n>` for customers, `demo:<fournisseur>:<numéro>`
for suppliers), and the bank lines carry the invoice numbers — so each line is linked to its invoice and payment
rather than matched again: the demo shows a matched history, from which the matching memory learns the aliases.

`demo_statement` builds « tomorrow's statement » of the demo account (CFONB 120): customer payments of invoices
still open, in the labels banks write, to try the import and the review queue by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from etabli.banking.adapters import statement_line
from etabli.banking.constants import CUSTOMER_ACCOUNT, SUPPLIER_ACCOUNT
from etabli.banking.models import (
    BalanceStatus,
    BankAccount,
    BankLine,
    CategoryRule,
    Direction,
    LineMatch,
    LineStatus,
    MatchSource,
    SourceFormat,
    Statement,
    StatementImport,
)
from etabli.banking.services.accounts import check_iban, ensure_settings
from etabli.common.formats import format_eur
from etabli.core.models import Company
from etabli.engines.matching import CATEGORIES, Categorizer
from etabli.engines.matching import CategoryRule as EngineRule
from etabli.engines.statements import StatementLine, assign_fingerprints

#: The owner's own rule in the demo: transfers to and from the term account are internal.
DEMO_RULES = (("COMPTE A TERME", "virement_interne", Direction.ANY),)


def load(company: Company, dataset, stdout=None) -> None:
    info = check_iban(dataset.company.iban)
    ensure_settings(company)
    account = BankAccount.objects.create(
        company=company, name="Compte courant", iban=info.iban, bic=dataset.company.bic, bank_name=info.bank_name[:120],
        bank_code=info.bank_code, branch_code=info.branch_code, account_number=info.account_code,
        rib_key=info.iban[-2:], balance=dataset.closing_balance, balance_date=dataset.today,
    )
    for pattern, category, direction in DEMO_RULES:
        CategoryRule.objects.create(company=company, pattern=pattern, category=category, direction=direction)
    demo_lines = sorted(dataset.bank_lines, key=lambda line: line.date)
    parsed = assign_fingerprints(info.iban, [
        StatementLine(date=line.date, amount=line.amount, label=line.label, value_date=line.value_date,
                      counterparty_name=line.counterparty) for line in demo_lines
    ])
    total = sum((line.amount for line in demo_lines), Decimal(0))
    statement_import = StatementImport.objects.create(
        company=company, account=account, source_format=SourceFormat.DEMO,
        filename="Historique de démonstration (24 mois)", lines_total=len(demo_lines), lines_new=len(demo_lines))
    statement = Statement.objects.create(
        company=company, statement_import=statement_import, account=account, statement_id="demo",
        start_date=dataset.company.opening_date, end_date=dataset.today, opening_balance=dataset.company.opening_balance,
        closing_balance=dataset.closing_balance, total=total, balance_status=BalanceStatus.OK,
        balance_message=(f"Soldes cohérents : {format_eur(dataset.company.opening_balance)} + mouvements "
                         f"{format_eur(total)} = {format_eur(dataset.closing_balance)}."),
        gap=Decimal("0.00"), lines_total=len(demo_lines), lines_new=len(demo_lines))
    links = _links(company, dataset)
    rows = []
    pending_matches: list[tuple[int, list[dict]]] = []
    for index, (demo, line) in enumerate(zip(demo_lines, parsed, strict=True)):
        row = BankLine(company=company, account=account, statement=statement, date=demo.date, value_date=demo.value_date,
                       amount=demo.amount, label=demo.label[:255], counterparty_name=demo.counterparty[:140],
                       fingerprint=line.fingerprint, source_format=SourceFormat.DEMO)
        candidates = links.get((demo.reference, demo.date, demo.amount)) if demo.reference else None
        found = [candidates.pop(0)] if candidates else None
        if found:
            first = found[0]
            row.status = LineStatus.MATCHED
            row.matched_kind = first["kind"]
            row.matched_partner_id = first["partner_id"]
            row.matched_partner_name = first["partner_name"][:200]
            row.document_date = first["issue_date"]
            row.matched_at = timezone.now()
            row.pcg_account = CUSTOMER_ACCOUNT if first["kind"] == "customer" else SUPPLIER_ACCOUNT
            pending_matches.append((index, found))
        rows.append(row)
    _categorise(company, rows)
    stored = BankLine.objects.bulk_create(rows, batch_size=1000)
    if stored and stored[0].pk is None:
        stored = list(BankLine.objects.filter(company=company, account=account).order_by("date", "id"))
    matches = [
        LineMatch(company=company, line=stored[index], invoice_id=link["invoice_id"], invoice_number=link["number"],
                  invoice_kind=link["kind"], partner_id=link["partner_id"], partner_name=link["partner_name"][:200],
                  amount=link["amount"], issue_date=link["issue_date"], due_date=link["due_date"],
                  payment_id=link["payment_id"], external_ref=link["external_ref"], source=MatchSource.DEMO)
        for index, found in pending_matches for link in found
    ]
    LineMatch.objects.bulk_create(matches, batch_size=1000)
    StatementImport.objects.filter(pk=statement_import.pk).update(
        categorised=sum(1 for row in rows if row.status == LineStatus.CATEGORISED))
    if stdout is not None:
        matched = sum(1 for row in rows if row.status == LineStatus.MATCHED)
        categorised = sum(1 for row in rows if row.status == LineStatus.CATEGORISED)
        stdout.write(f"  Banque : {len(rows)} opérations sur 24 mois ({matched} rapprochées de leur facture, "
                     f"{categorised} catégorisées), solde {format_eur(dataset.closing_balance)}.\n")
    _analyse(company, stdout)


def _links(company: Company, dataset) -> dict[tuple, list[dict]]:
    """(invoice number, date, amount) of each demo bank line → the billing invoice and payment it settled."""
    from etabli.billing.selectors import partners, payment_view, payments

    by_ref = {view.external_ref: view for view in (payment_view(p) for p in payments(company)) if view.external_ref}
    partner_by_iban = {p.iban: p for p in partners(company=company) if p.iban}
    customers = {c.key: c for c in dataset.customers}
    suppliers = {s.key: s for s in dataset.suppliers}
    links: dict[tuple, list[dict]] = defaultdict(list)

    def add(key: tuple, view, kind: str, iban: str, issue: dt.date, due: dt.date, amount: Decimal) -> None:
        partner = partner_by_iban.get(iban.replace(" ", ""))
        links[key].append({"invoice_id": view.invoice_id, "number": view.invoice_number, "kind": kind,
                           "partner_id": partner.id if partner else None, "partner_name": partner.name if partner else "",
                           "amount": amount, "issue_date": issue, "due_date": due, "payment_id": view.id,
                           "external_ref": view.external_ref})

    for invoice in dataset.invoices:
        customer = customers[invoice.customer_key]
        for index, payment in enumerate(invoice.payments):
            view = by_ref.get(f"demo:{invoice.number}:{index + 1}")
            if view is not None:
                add((invoice.number, payment.date, payment.amount), view, "customer", customer.iban,
                    invoice.issue_date, invoice.due_date, payment.amount)
    for bill in dataset.supplier_invoices:
        view = by_ref.get(f"demo:{bill.supplier_key}:{bill.number}")
        if view is not None and bill.paid_on is not None:
            add((bill.number, bill.paid_on, -bill.total_ttc), view, "supplier", suppliers[bill.supplier_key].iban,
                bill.issue_date, bill.due_date, -bill.total_ttc)
    return links


def _categorise(company: Company, rows: list[BankLine]) -> None:
    """Categories of the lines that paid no invoice, from the demo owner's rule and the default French rules."""
    todo = [row for row in rows if row.status != LineStatus.MATCHED]
    categorizer = Categorizer([EngineRule(p, c, d) for p, c, d in DEMO_RULES])
    for row, prediction in zip(todo, categorizer.predict([statement_line(row) for row in todo]), strict=True):
        if prediction is None or prediction.code not in CATEGORIES:
            continue
        row.status = LineStatus.CATEGORISED
        row.category = prediction.code
        row.pcg_account = CATEGORIES[prediction.code].pcg_account
        row.category_source = prediction.source
        row.category_confidence = prediction.confidence
        row.category_reason = prediction.reason[:300]


def _analyse(company: Company, stdout) -> None:
    from etabli.banking.errors import BankingError
    from etabli.banking.services.accounts import update_settings
    from etabli.banking.services.forecast import fixed_charges_per_month, run_forecast, suggested_threshold
    from etabli.banking.services.spending import run_spending

    spending = run_spending(company=company)
    if spending:
        # The demo owner keeps a safety cushion of one month of fixed charges (the forecast page suggests it to
        # every company); with the default 0 € the demo's tight month stays above the threshold (see docs).
        threshold = suggested_threshold(spending["recurring"])
        update_settings(company=company, cash_threshold=threshold)
        if stdout is not None:
            stdout.write(f"  Trésorerie : seuil d'alerte du dirigeant {format_eur(threshold, 0)} (un mois de charges "
                         f"fixes : {format_eur(fixed_charges_per_month(spending['recurring']), 0)}).\n")
    try:
        forecast = run_forecast(company=company)
    except BankingError as exc:
        if stdout is not None:
            stdout.write(f"  Banque : prévision impossible ({exc.message}).\n")
        return
    if stdout is not None:
        low = forecast["lowest"]["realistic"]
        stdout.write(f"  Trésorerie : point bas réaliste {format_eur(Decimal(low['balance']))} le "
                     f"{dt.date.fromisoformat(low['date']):%d/%m/%Y} ; {len(forecast['alerts'])} alerte(s) de "
                     f"trésorerie, {len(spending['alerts']) if spending else 0} alerte(s) de dépenses.\n")


# --- Tomorrow's statement of the demo account -----------------------------------------------------------------


def payment_label(rng: random.Random, name: str, number: str, order_reference: str = "") -> str:
    """How customers' banks write a transfer (the demo dataset's styles): with or without the invoice number."""
    upper = name.upper()
    style = rng.random()
    if style < 0.45:
        return f"VIR SEPA {upper} {number}"
    if style < 0.7:
        return f"VIR {upper[:18]} FACT {number.split('-')[-1].lstrip('0')}"
    if style < 0.85:
        return f"VIREMENT DE {upper} REF {order_reference or number}"
    return f"VIR INST {upper[:24]}"


def demo_statement(*, company: Company, account: BankAccount, day: dt.date | None = None, count: int = 6,
                   seed: int = 1) -> bytes:
    """A CFONB 120 statement of `day` (tomorrow by default) paying `count` open customer invoices."""
    from etabli.banking.selectors import balance_on
    from etabli.banking.services.export import cfonb120
    from etabli.billing.selectors import open_invoices

    day = day or timezone.localdate() + dt.timedelta(days=1)
    rng = random.Random(seed)
    views = [v for v in open_invoices(company=company, kind="customer")][:count]
    lines = [BankLine(company=company, account=account, date=day, value_date=day, amount=v.amount_open,
                      label=payment_label(rng, v.partner_name, v.number, next(iter(v.references), "")),
                      counterparty_name=v.partner_name) for v in views]
    opening, _ = balance_on(account, day - dt.timedelta(days=1))
    return cfonb120(account, lines, opening_balance=opening, start=day, end=day)
