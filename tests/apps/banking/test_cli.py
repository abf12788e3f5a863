"""The real `etabli banking …` console commands in a subprocess: JSON output, French errors and exit codes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from etabli.banking.models import BankLine
from tests.apps.banking.conftest import today
from tests.apps.banking.factories import cfonb_statement, csv_export, make_iban
from tests.factories import make_company

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_accounts_export_and_errors(run_cli, tmp_path):
    company = make_company("Atelier CLI", slug="atelier-cli")
    iban = make_iban(9100)
    good = tmp_path / "releve.txt"
    good.write_bytes(cfonb_statement(iban, Decimal("500.00"), [
        {"date": today(), "amount": Decimal("-2400.00"), "label": "PRLV SEPA SCI DES ARTISANS LOYER"}],
        start=today(), end=today()))
    result = run_cli("banking", "import", str(good), "--company", "atelier-cli", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["lines_new"] == 1 and payload["statements"][0]["balance_status"] == "ok"
    assert payload["reconciliation"]["categorised"] == 1
    again = json.loads(run_cli("banking", "import", str(good), "--company", "atelier-cli", "--json").stdout)
    assert again["lines_new"] == 0 and again["lines_duplicate"] == 1

    bad = tmp_path / "tronque.txt"
    bad.write_bytes(good.read_bytes()[:-25])
    failed = run_cli("banking", "import", str(bad), "--company", "atelier-cli")
    assert failed.returncode == 1
    assert failed.stderr.startswith("Erreur : Ligne 4 : enregistrement tronqué")  # 01, 04, 05 (label), 07

    unknown = tmp_path / "export.csv"
    unknown.write_text("Jour;Texte;Valeur\n02/11/2026;VIR;12,00\n", encoding="utf-8")
    refused = run_cli("banking", "import", str(unknown), "--company", "atelier-cli", "--account", iban)
    assert refused.returncode == 1 and "Colonnes non reconnues" in refused.stderr
    csv_file = tmp_path / "banque.csv"
    csv_file.write_bytes(csv_export([{"date": today(), "amount": Decimal("99.00"), "label": "VIR CLIENT"}]))
    assert run_cli("banking", "import", str(csv_file), "--company", "atelier-cli", "--account", iban).returncode == 0
    assert BankLine.objects.filter(company=company).count() == 2

    wrong_key = run_cli("banking", "accounts", "--company", "atelier-cli", "--add", "FR7630004008230000000910055")
    assert wrong_key.returncode == 1 and "IBAN" in wrong_key.stderr
    listing = json.loads(run_cli("banking", "accounts", "--company", "atelier-cli", "--json").stdout)
    # the balance the bank announced at the end of the day stands (the CSV line of the same day is assumed in it)
    assert listing[0]["iban"] == iban and Decimal(listing[0]["balance"]) == Decimal("-1900.00")

    out = tmp_path / "export.cfonb"
    assert run_cli("banking", "export", str(out), "--company", "atelier-cli").returncode == 0
    from etabli.engines.statements import parse_cfonb120

    [statement] = parse_cfonb120(out.read_bytes())
    assert statement.closing_balance == Decimal("-1900.00") and len(statement.lines) == 2

    missing = run_cli("banking", "forecast", "--company", "inconnue", "--json")
    assert missing.returncode == 1 and "Entreprise « inconnue » introuvable" in missing.stderr
