import json
from pathlib import Path

from django.core.management.base import CommandError

from etabli.banking.errors import BankingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = ("Importe un relevé bancaire (CFONB 120, camt.053, OFX, CSV) dans un compte, en une transaction, puis "
            "rapproche les opérations des factures ouvertes.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier du relevé.")
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument("--account", default="", help="IBAN du compte (obligatoire pour un CSV ; sinon vérifié).")
        parser.add_argument("--mapping", default="", help="Correspondance des colonnes d'un CSV (fichier JSON).")
        parser.add_argument("--no-reconcile", action="store_true", help="Importer sans rapprocher.")

    def handle(self, *args, **options):
        from etabli.banking import selectors
        from etabli.banking.services import import_file
        from etabli.banking.services.accounts import check_iban

        company = self.company(options["company"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        mapping = None
        if options["mapping"]:
            try:
                mapping = json.loads(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Correspondance des colonnes illisible ({options['mapping']}) : {exc}") from exc
        try:
            account = None
            if options["account"]:
                info = check_iban(options["account"])
                account = selectors.account_for_iban(company, info.iban)
                if account is None:
                    from etabli.banking.services import create_account

                    account = create_account(company=company, iban=info.iban)
            report = import_file(company=company, data=path.read_bytes(), filename=path.name, account=account,
                                 csv_mapping=mapping, reconcile=not options["no_reconcile"])
        except BankingError as exc:
            raise CommandError(exc.message) from exc
        human = report.summary()
        if report.warnings:
            human += "\n" + "\n".join(f"Attention : {w}" for w in report.warnings)
        if report.reconciliation:
            rec = report.reconciliation
            human += (f"\nRapprochement : {rec['auto_matched']} automatique(s), {rec['proposed']} proposition(s) à "
                      f"valider, {rec['categorised']} catégorisée(s), {rec['unmatched']} à traiter.")
        self.emit(options, report.as_dict(), human + "\n")
