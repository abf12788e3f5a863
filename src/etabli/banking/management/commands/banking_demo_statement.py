import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Écrit un relevé CFONB 120 « de demain » du compte de démonstration, qui règle des factures ouvertes."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Fichier à écrire.")
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument("--count", type=int, default=6, help="Nombre de factures réglées.")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="Date des opérations.")

    def handle(self, *args, **options):
        from etabli.banking import selectors
        from etabli.banking.services.demo import demo_statement

        company = self.company(options["company"])
        account = selectors.accounts(company).first()
        if account is None:
            raise CommandError("Aucun compte bancaire dans cette entreprise.")
        body = demo_statement(company=company, account=account, day=options["date"], count=options["count"])
        Path(options["output"]).write_bytes(body)
        self.emit(options, {"path": options["output"], "bytes": len(body)},
                  f"Relevé écrit dans {options['output']} : importez-le (Banque → Importer un relevé).\n")
