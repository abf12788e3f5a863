"""Statement import through the app: every format, balance check, duplicates, bad inputs, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etabli.banking.errors import BankingError
from etabli.banking.models import BankAccount, BankLine, CsvMapping, ImportStatus, Statement, StatementImport
from etabli.banking.selectors import balance_on
from etabli.banking.services import confirm_mapping, import_file
from tests.apps.banking.factories import camt053, cfonb_statement, csv_export, make_iban, ofx

pytestmark = pytest.mark.django_db

D = dt.date(2026, 11, 2)


def lines(*amounts_labels, day=D):
    return [{"date": day + dt.timedelta(days=i), "amount": Decimal(a), "label": label}
            for i, (a, label) in enumerate(amounts_labels)]


def test_cfonb_creates_the_account_checks_balances_and_stores_lines(bank_company):
    iban = make_iban(4242)
    data = cfonb_statement(iban, Decimal("10000.00"), lines(
        ("1500.00", "VIR SEPA DUPONT CONSTRUCTION FA-2026-00042 REGLEMENT"), ("-2400.00", "PRLV SEPA SCI DES ARTISANS LOYER"),
        ("-38.90", "FRAIS TENUE DE COMPTE")), start=D, end=D + dt.timedelta(days=3))
    report = import_file(company=bank_company, data=data, filename="releve.txt", reconcile=False)
    account = BankAccount.objects.get(company=bank_company, iban=iban)
    assert report.lines_new == 3 and report.statements[0].account_created
    assert report.statements[0].balance_status == "ok"
    assert "Soldes cohérents" in report.statements[0].balance_message
    stored = list(BankLine.objects.filter(account=account).order_by("date"))
    assert [line.amount for line in stored] == [Decimal("1500.00"), Decimal("-2400.00"), Decimal("-38.90")]
    # the label longer than 31 characters continues in a 05 record: nothing is lost for matching
    assert "REGLEMENT" in stored[0].text
    assert (account.balance, account.balance_date) == (Decimal("9061.10"), D + dt.timedelta(days=3))
    assert balance_on(account, D + dt.timedelta(days=1))[0] == Decimal("9100.00")


def test_cfonb_without_line_breaks_is_read_the_same(bank_company):
    iban = make_iban(4243)
    data = cfonb_statement(iban, Decimal(0), lines(("100.00", "VIR A"), ("-20.00", "CB B")), start=D, end=D,
                           line_breaks=False)
    assert import_file(company=bank_company, data=data, reconcile=False).lines_new == 2


def test_a_balance_gap_is_reported_not_hidden(bank_company):
    iban = make_iban(4244)
    data = cfonb_statement(iban, Decimal("1000.00"), lines(("250.00", "VIR X")), start=D, end=D,
                           closing=Decimal("1300.00"))
    report = import_file(company=bank_company, data=data, reconcile=False)
    statement = Statement.objects.get(statement_import_id=report.import_id)
    assert statement.balance_status == "gap" and statement.gap == Decimal("50.00")
    assert "Écart de 50,00" in statement.balance_message
    assert report.has_gap and "Écart" in report.summary()


def test_reimporting_an_overlapping_statement_adds_no_duplicate(bank_company):
    iban = make_iban(4245)
    first = lines(("100.00", "VIR A"), ("-20.00", "CB CAFE"), ("-20.00", "CB CAFE"))
    import_file(company=bank_company, data=cfonb_statement(iban, Decimal(0), first, start=D, end=D + dt.timedelta(days=2)),
                reconcile=False)
    overlapping = first[1:] + lines(("300.00", "VIR C"), day=D + dt.timedelta(days=3))
    report = import_file(company=bank_company, data=cfonb_statement(iban, Decimal("100.00"), overlapping, start=D,
                                                                    end=D + dt.timedelta(days=3)), reconcile=False)
    assert (report.lines_new, report.lines_duplicate) == (1, 2)
    assert BankLine.objects.filter(company=bank_company).count() == 4  # the two identical café payments both kept
    # the same file a third time: nothing at all
    again = import_file(company=bank_company, data=cfonb_statement(iban, Decimal("100.00"), overlapping, start=D,
                                                                   end=D + dt.timedelta(days=3)), reconcile=False)
    assert again.lines_new == 0 and again.lines_duplicate == 3


def test_the_same_movements_from_another_format_are_not_imported_twice(bank_company):
    iban = make_iban(4246)
    entries = lines(("1200.00", "VIR SEPA DUPONT"), ("-89.00", "PRLV TELECOM"))
    import_file(company=bank_company, data=cfonb_statement(iban, Decimal(0), entries, start=D, end=D + dt.timedelta(days=1)),
                reconcile=False)
    report = import_file(company=bank_company, data=camt053(iban, Decimal(0), [dict(e, label=e["label"] + " (camt)") for e in entries],
                                                            start=D, end=D + dt.timedelta(days=1)), reconcile=False)
    assert report.lines_new == 0 and report.lines_duplicate == 2


def test_camt053_and_continuity_with_the_previous_statement(bank_company):
    iban = make_iban(4247)
    import_file(company=bank_company, data=camt053(iban, Decimal("500.00"), lines(("100.00", "VIR A")), start=D, end=D),
                reconcile=False)
    # the next statement opens at 700 € while the account stood at 600 €: a statement is missing
    report = import_file(company=bank_company, data=camt053(iban, Decimal("700.00"), lines(("-50.00", "PRLV B"),
                                                                                           day=D + dt.timedelta(days=5)),
                                                            start=D + dt.timedelta(days=5), end=D + dt.timedelta(days=5)),
                         reconcile=False)
    statement = report.statements[0]
    assert statement.balance_status == "ok"
    assert "diffère de 100,00" in statement.continuity_message and "manque" in statement.continuity_message


def test_ofx_import_has_no_opening_balance_to_check(bank_company):
    iban = make_iban(4248)
    report = import_file(company=bank_company, data=ofx(iban, lines(("250.00", "VIR CLIENT"), ("-12.50", "CB PARKING")),
                                                        balance=Decimal("1237.50"), end=D + dt.timedelta(days=1)),
                         reconcile=False)
    assert report.lines_new == 2
    assert report.statements[0].balance_status == "unverifiable"
    account = BankAccount.objects.get(company=bank_company, iban=iban)
    assert account.balance == Decimal("1237.50")


def test_csv_needs_an_account_and_remembers_its_columns_per_bank(bank_company, account):
    data = csv_export(lines(("1200,00".replace(",", "."), "VIR DUPONT"), ("-80.00", "CB ESSENCE")), with_balance=Decimal(100))
    with pytest.raises(BankingError, match="choisissez le compte"):
        import_file(company=bank_company, data=data)
    waiting = import_file(company=bank_company, data=data, filename="export.csv", account=account,
                          confirm_csv_mapping=True)
    assert waiting.status == ImportStatus.AWAITING_MAPPING and waiting.mapping["columns"]["debit"] == "Débit"
    assert not BankLine.objects.filter(company=bank_company).exists()
    report = confirm_mapping(company=bank_company, statement_import=StatementImport.objects.get(pk=waiting.import_id),
                             mapping=waiting.mapping, reconcile=False)
    assert report.lines_new == 2 and report.statements[0].balance_status == "ok"
    assert CsvMapping.objects.get(company=bank_company, bank_code=account.bank_code).mapping["columns"]["label"] == "Libellé"
    # next export of the same bank: imported at once with the remembered columns
    later = csv_export(lines(("55.00", "VIR REMBOURSEMENT"), day=D + dt.timedelta(days=10)), with_balance=Decimal(1220))
    assert import_file(company=bank_company, data=later, account=account, confirm_csv_mapping=True,
                       reconcile=False).lines_new == 1


def test_csv_with_unknown_columns_is_refused_in_french(bank_company, account):
    data = b"Jour;Texte;Valeur\n02/11/2026;VIR;12,00\n"
    with pytest.raises(BankingError, match="Colonnes non reconnues"):
        import_file(company=bank_company, data=data, account=account)
    # in the UI the owner is sent to the column screen instead
    report = import_file(company=bank_company, data=data, account=account, confirm_csv_mapping=True)
    assert report.status == ImportStatus.AWAITING_MAPPING and "Colonnes non reconnues" in report.mapping_message


def test_csv_whose_bank_changed_its_columns_says_which_are_missing(bank_company, account):
    CsvMapping.objects.create(company=bank_company, bank_code=account.bank_code, mapping={
        "delimiter": ";", "decimal": ",", "date_format": "%d/%m/%Y", "encoding": "utf-8", "header_row": 1,
        "columns": {"date": "Date opération", "label": "Libellé", "amount": "Montant"}})
    with pytest.raises(BankingError, match="introuvable"):
        import_file(company=bank_company, data=csv_export(lines(("10.00", "X"))), account=account)
    assert not BankLine.objects.filter(company=bank_company).exists()


def _truncated(data: bytes) -> bytes:
    return data[:-32]  # the last record loses its end


def _utf16(data: bytes) -> bytes:
    return data.decode("latin-1").encode("utf-16")


def _resaved_as_utf8(data: bytes) -> bytes:
    return data.replace(b"VIR A" + b" " * 2, "VIR É€".encode(), 1)  # accents on two bytes: records too long


def _no_closing(data: bytes) -> bytes:
    return data.rsplit(b"\r\n07", 1)[0] + b"\r\n"


@pytest.mark.parametrize("mutate,message", [
    (_truncated, "tronqué"),
    (_utf16, "UTF-16"),
    (_resaved_as_utf8, "UTF-8"),
    (_no_closing, "07"),
])
def test_bad_cfonb_files_are_refused_in_french_and_nothing_is_imported(bank_company, mutate, message):
    iban = make_iban(4250)
    good = cfonb_statement(iban, Decimal(0), lines(("100.00", "VIR A"), ("-20.00", "CB B")), start=D, end=D)
    with pytest.raises(BankingError, match=message) as caught:
        import_file(company=bank_company, data=mutate(good))
    assert caught.value.line_number is not None
    assert f"Ligne {caught.value.line_number}" in caught.value.message
    assert not BankLine.objects.filter(company=bank_company).exists()
    assert not BankAccount.objects.filter(company=bank_company).exists()
    assert not StatementImport.objects.filter(company=bank_company).exists()


def test_a_file_with_a_broken_second_statement_imports_nothing(bank_company):
    first = cfonb_statement(make_iban(4251), Decimal(0), lines(("100.00", "VIR A")), start=D, end=D)
    second = cfonb_statement(make_iban(4252), Decimal(0), lines(("5.00", "VIR B")), start=D, end=D)
    broken = second.replace(b"VIR B", b"VIR B\xe9\xe9", 1)  # a record now 122 characters long
    with pytest.raises(BankingError):
        import_file(company=bank_company, data=first + broken)
    assert BankLine.objects.filter(company=bank_company).count() == 0
    assert BankAccount.objects.filter(company=bank_company).count() == 0


def test_xml_that_is_not_camt053_is_refused(bank_company):
    pain = b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>'
    with pytest.raises(BankingError, match="ordre de virement"):
        import_file(company=bank_company, data=pain)


def iban_with_wrong_rib_key(iban: str) -> str:
    """Same bank, branch and account, RIB key off by one, IBAN check digits recomputed (so only the key is wrong)."""
    bban = iban[4:-2] + f"{(int(iban[-2:]) + 1) % 97:02d}"
    numeric = "".join(str(int(char, 36)) for char in bban + "FR00")
    return f"FR{98 - int(numeric) % 97:02d}{bban}"


def test_a_camt_statement_with_a_wrong_rib_key_is_refused(bank_company):
    bad = iban_with_wrong_rib_key(make_iban(4253))
    with pytest.raises(BankingError, match="clé RIB"):
        import_file(company=bank_company, data=camt053(bad, Decimal(0), lines(("10.00", "VIR")), start=D, end=D))
    assert not BankAccount.objects.filter(company=bank_company).exists()


def test_an_empty_file_and_a_file_of_another_account(bank_company, account):
    with pytest.raises(BankingError, match="vide"):
        import_file(company=bank_company, data=b"   ")
    other = cfonb_statement(make_iban(4260), Decimal(0), lines(("10.00", "VIR")), start=D, end=D)
    with pytest.raises(BankingError, match="pas le compte choisi"):
        import_file(company=bank_company, data=other, account=account)


def test_import_emits_the_webhook_event(bank_company, webhook_receiver, django_capture_on_commit_callbacks):
    from etabli.core.services import webhooks

    url, received = webhook_receiver
    webhooks.create_endpoint(company=bank_company, url=url, events=["bank.statement_imported"])
    data = cfonb_statement(make_iban(4261), Decimal(0), lines(("10.00", "VIR")), start=D, end=D)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(company=bank_company, data=data, filename="r.txt", reconcile=False)
    assert received and received[0]["event"] == "bank.statement_imported"
    assert received[0]["data"]["lines_new"] == 1 and received[0]["data"]["statements"][0]["balance_status"] == "ok"


def test_an_account_of_another_company_is_refused(bank_company, other_company):
    from tests.apps.banking.factories import make_account

    foreign = make_account(other_company)
    data = cfonb_statement(foreign.iban, Decimal(0), lines(("10.00", "VIR")), start=D, end=D)
    with pytest.raises(BankingError, match="introuvable"):
        import_file(company=bank_company, data=data, account=foreign)
    # the same IBAN imported by this company becomes its own account, never the other company's
    import_file(company=bank_company, data=data, reconcile=False)
    assert BankLine.objects.filter(company=other_company).count() == 0
    assert BankAccount.objects.get(company=bank_company, iban=foreign.iban).pk != foreign.pk
