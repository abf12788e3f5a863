import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Exporte les opérations d'un compte : CFONB 120, CSV (expert-comptable) ou lignes (format des moteurs)."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Fichier à écrire.")
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument("--account", default="", help="IBAN du compte (le premier compte si absent).")
        parser.add_argument("--format", choices=["cfonb", "csv", "lignes"], default="cfonb")
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        from etabli.banking import selectors
        from etabli.banking.services.export import account_cfonb120, engine_lines_csv, lines_csv

        company = self.company(options["company"])
        if options["account"]:
            account = selectors.account_for_iban(company, options["account"])
        else:
            account = selectors.accounts(company).first()
        if account is None:
            raise CommandError("Compte introuvable dans cette entreprise.")
        start, end = options["start"], options["end"]
        if options["format"] == "cfonb":
            try:
                body = account_cfonb120(account, start=start, end=end)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        elif options["format"] == "csv":
            lines = selectors.lines(company, account_id=account.pk).order_by("date", "id").prefetch_related("matches")
            if start:
                lines = lines.filter(date__gte=start)
            if end:
                lines = lines.filter(date__lte=end)
            body = lines_csv(lines)
        else:
            history = [line for line in selectors.forecast_history(company, until=end or selectors.today())
                       if line.account == account.name and (start is None or line.date >= start)]
            body = engine_lines_csv(history)
        Path(options["output"]).write_bytes(body)
        self.emit(options, {"path": options["output"], "bytes": len(body), "account": account.iban},
                  f"{len(body)} octets écrits dans {options['output']} ({account.name}).\n")
