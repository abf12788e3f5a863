import datetime as dt
import json
import zipfile
from decimal import Decimal

import pytest
from schwifty import IBAN
from stdnum.fr import siren, siret, tva

from etabli.cli import resolve
from etabli.core.demo.dataset import generate
from etabli.core.models import Company, Membership, ReviewItem, User
from etabli.core.services import backup
from tests.factories import make_company, make_member

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def data():
    return generate(seed=1, today=TODAY)


class TestDemoDataset:
    def test_same_seed_same_data_other_seed_other_data(self, data):
        again = generate(seed=1, today=TODAY)
        assert [i.number for i in again.invoices] == [i.number for i in data.invoices]
        assert again.bank_lines == data.bank_lines and again.closing_balance == data.closing_balance
        other = generate(seed=2, today=TODAY)
        assert [i.total_ttc for i in other.invoices] != [i.total_ttc for i in data.invoices]

    def test_company_and_parties_have_valid_french_identifiers(self, data):
        assert siren.is_valid(data.company.siren) and siret.is_valid(data.company.siret)
        assert tva.is_valid(data.company.vat_number) and IBAN(data.company.iban).is_valid
        for customer in data.customers:
            if customer.kind == "company":
                assert siret.is_valid(customer.siret) and customer.siret.startswith(customer.siren)
            assert IBAN(customer.iban).is_valid
        assert len([p for p in data.people if p.role != "accountant"]) == 8
        assert {c.profile for c in data.customers} == {"loyal", "late_payer", "occasional", "new"}

    def test_invoice_numbering_is_gapless_and_chronological_per_series_and_year(self, data):
        series: dict = {}
        for invoice in data.invoices:
            prefix, year, number = invoice.number.split("-")
            series.setdefault((prefix, year), []).append((invoice.issue_date, int(number)))
        for (prefix, year), rows in series.items():
            numbers = [n for _, n in rows]
            assert numbers == list(range(1, len(rows) + 1)), (prefix, year)
            assert [d for d, _ in rows] == sorted(d for d, _ in rows)
            assert all(str(d.year) == year for d, _ in rows)

    def test_money_is_consistent(self, data):
        for invoice in data.invoices:
            assert invoice.total_ht + invoice.total_tva == invoice.total_ttc
            assert invoice.paid <= invoice.total_ttc
            assert all(p.date >= invoice.issue_date and p.date <= TODAY for p in invoice.payments)
        paid_by_bank = sum(b.amount for b in data.bank_lines if b.kind == "customer_payment")
        start = data.company.opening_date
        assert paid_by_bank == sum(p.amount for i in data.invoices for p in i.payments if p.date >= start)

    def test_realistic_payment_behaviour(self, data):
        invoices = [i for i in data.invoices if i.kind != "credit_note" and i.payments and i.paid == i.total_ttc]
        on_time = sum(1 for i in invoices if i.payments[-1].date <= i.due_date) / len(invoices)
        assert 0.55 <= on_time <= 0.8  # the guide's "before": 68 % paid on time
        late_by_profile = {}
        for i in invoices:
            profile = data.customer(i.customer_key).profile
            late_by_profile.setdefault(profile, []).append(i.payments[-1].date > i.due_date)
        share = {p: sum(v) / len(v) for p, v in late_by_profile.items()}
        assert share["late_payer"] > share["loyal"] + 0.3
        open_invoices = [i for i in data.invoices if i.kind != "credit_note" and i.paid < i.total_ttc]
        assert any(i.due_date < TODAY for i in open_invoices) and any(i.due_date >= TODAY for i in open_invoices)
        assert 8 <= len([i for i in data.invoices if i.kind != "credit_note"]) / 105 <= 12  # ≈ 10 a week

    def test_bank_history_covers_24_months_with_recurring_charges_and_energy_drift(self, data):
        kinds = {b.kind for b in data.bank_lines}
        assert {"customer_payment", "supplier_payment", "salary", "social", "rent", "loan", "tax"} <= kinds
        assert data.bank_lines[0].date >= data.company.opening_date
        assert (data.bank_lines[-1].date - data.bank_lines[0].date).days > 700
        energy = [s for s in data.supplier_invoices if s.supplier_key == "energie"]
        first_year = sum(s.total_ht for s in energy[:12] if s.issue_date.month not in (12, 1, 2, 6, 7, 8))
        last_year = sum(s.total_ht for s in energy[-12:] if s.issue_date.month not in (12, 1, 2, 6, 7, 8))
        assert last_year > first_year * Decimal("1.2")

    def test_scale_multiplies_volume(self):
        small, big = generate(seed=3, today=TODAY), generate(seed=3, today=TODAY, scale=3)
        assert len(big.customers) == 3 * len(small.customers)
        assert len(big.invoices) > 2.5 * len(small.invoices)


@pytest.mark.django_db
def test_demo_loader_creates_company_people_and_access():
    from etabli.core.demo.loader import DemoError, load_demo

    result = load_demo(seed=1, today=TODAY)
    company = result.company
    assert company.slug == "menuiserie-martin" and company.is_demo and company.hourly_cost == Decimal("35.00")
    assert Membership.objects.filter(company=company).count() == 9
    assert Membership.objects.get(company=company, user__email=result.owner_email).role == "owner"
    accountant = User.objects.get(email="claire.fontaine@fontaine-expertise.fr")
    assert Membership.objects.filter(user=accountant).count() == 2
    assert User.objects.get(email=result.owner_email).check_password(result.password)
    with pytest.raises(DemoError, match="existe déjà"):
        load_demo(seed=1, today=TODAY)


def test_cli_groups_map_to_commands():
    commands = {"billing_remind": "x", "demo": "y"}
    assert resolve(["billing", "remind", "--company", "a"], commands) == ["billing_remind", "--company", "a"]
    assert resolve(["demo", "--seed", "1"], commands) == ["demo", "--seed", "1"]


class TestCli:
    def test_help_lists_groups_and_unknown_command_fails_in_french(self, run_cli):
        out = run_cli()
        assert out.returncode == 0 and "Plateforme :" in out.stdout and "export" in out.stdout
        bad = run_cli("facturer")
        assert bad.returncode == 2 and "commande inconnue « facturer »" in bad.stderr

    def test_demo_then_export_produces_an_archive(self, run_cli, tmp_path):
        demo = run_cli("demo", "--seed", "1", "--today", "2026-11-26", "--json")
        assert demo.returncode == 0, demo.stderr
        payload = json.loads(demo.stdout)
        assert payload["company"] == "menuiserie-martin" and payload["login"].endswith("@menuiserie-martin.fr")
        again = run_cli("demo", "--seed", "1")
        assert again.returncode == 1 and again.stderr.startswith("Erreur : L'entreprise de démonstration")
        out = tmp_path / "x.zip"
        export = run_cli("export", "--company", "menuiserie-martin", str(out), "--json")
        assert export.returncode == 0, export.stderr
        with zipfile.ZipFile(out) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            members = archive.read("tables/core.members.csv").decode("utf-8-sig")
            assert manifest["company"]["slug"] == "menuiserie-martin"
            assert "pierre.martin@menuiserie-martin.fr" in members and "password" not in members
            import hashlib

            for name, digest in manifest["files"].items():
                assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        missing = run_cli("export", "--company", "inconnue", str(out))
        assert missing.returncode == 1 and "Entreprise « inconnue » introuvable" in missing.stderr

    def test_company_create_refuses_invalid_siren(self, run_cli):
        out = run_cli("company", "create", "SARL Test", "--owner", "a@b.fr", "--siren", "123456789")
        assert out.returncode == 1 and "SIREN « 123456789 » n'est pas valide" in out.stderr
        assert not Company.objects.filter(legal_name="SARL Test").exists()
        assert not User.objects.filter(email="a@b.fr").exists()  # nothing half-written
        ok = run_cli("company", "create", "SARL Test", "--owner", "a@b.fr", "--siren", "732829320", "--json")
        assert ok.returncode == 0 and json.loads(ok.stdout)["company"] == "sarl-test"

    def test_check_deploy_reports_in_french(self, run_cli):
        out = run_cli("check", "--deploy")
        text = out.stdout + out.stderr
        assert "HTTPS n'est pas activé" in text and "Aucune sauvegarde trouvée" in text


@pytest.mark.django_db(transaction=True)  # restore flushes the database: no enclosing test transaction
class TestBackup:
    def test_encrypted_round_trip_restores_everything(self, tmp_path, settings):
        settings.MEDIA_ROOT = tmp_path / "media"
        (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
        (settings.MEDIA_ROOT / "logos" / "logo.png").write_bytes(b"\x89PNG fake logo")
        company = make_company("Sauvegardée")
        member = make_member(company, "owner")
        ReviewItem.objects.create(company=company, kind="tests.note", title="À garder", payload={"x": 1})
        archive = backup.backup(tmp_path / "backups", passphrase="une phrase secrète")
        assert archive.name.endswith(".tar.gz.enc") and backup.is_encrypted(archive)
        assert b"Sauvegard" not in archive.read_bytes()
        with pytest.raises(backup.BackupError, match="Phrase secrète incorrecte"):
            backup.restore(archive, "mauvaise phrase", force=True)
        with pytest.raises(backup.BackupError, match="déjà des données"):
            backup.restore(archive, "une phrase secrète")
        company.legal_name = "Modifiée après la sauvegarde"
        company.save()
        ReviewItem.objects.all().delete()
        (settings.MEDIA_ROOT / "logos" / "logo.png").unlink()
        backup.restore(archive, "une phrase secrète", force=True)
        assert Company.objects.get(slug=company.slug).legal_name.startswith("Sauvegardée")
        assert ReviewItem.objects.get().title == "À garder"
        assert User.objects.get(email=member.user.email).check_password("mot-de-passe-solide-42")
        assert (settings.MEDIA_ROOT / "logos" / "logo.png").read_bytes() == b"\x89PNG fake logo"

    def test_truncated_or_foreign_archives_are_refused(self, tmp_path):
        make_company("X")
        archive = backup.backup(tmp_path, passphrase="une phrase secrète")
        truncated = tmp_path / "tronquee.enc"
        truncated.write_bytes(archive.read_bytes()[:-40])
        with pytest.raises(backup.BackupError, match="tronquée|altérée"):
            backup.restore(truncated, "une phrase secrète", force=True)
        foreign = tmp_path / "autre.tar.gz"
        foreign.write_bytes(b"ceci n'est pas une archive")
        with pytest.raises(backup.BackupError, match="illisible"):
            backup.restore(foreign, None, force=True)
        with pytest.raises(backup.BackupError, match="au moins 8"):
            backup.backup(tmp_path, passphrase="court")
        assert Company.objects.filter(legal_name__startswith="X").exists()
