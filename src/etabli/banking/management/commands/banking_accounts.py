import datetime as dt

from django.core.management.base import CommandError

from etabli.banking.errors import BankingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Liste les comptes bancaires et leur solde du jour ; --add IBAN ajoute un compte (clé RIB vérifiée)."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument("--add", default="", metavar="IBAN", help="Ajouter ce compte.")
        parser.add_argument("--bic", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--balance", default=None, help="Solde affiché par la banque à --balance-date.")
        parser.add_argument("--balance-date", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        from etabli.banking import selectors
        from etabli.banking.services import create_account

        company = self.company(options["company"])
        if options["add"]:
            try:
                create_account(company=company, iban=options["add"], bic=options["bic"], name=options["name"],
                               balance=options["balance"], balance_date=options["balance_date"])
            except BankingError as exc:
                raise CommandError(exc.message) from exc
        rows = selectors.account_summaries(company)
        payload = [{"name": r["account"].name, "iban": r["account"].iban, "bic": r["account"].bic,
                    "balance": str(r["balance"]), "balance_known": r["balance_known"], "lines": r["lines"],
                    "to_process": r["todo"]} for r in rows]
        human = "\n".join(f"{p['name']} — {p['iban']} — solde {p['balance']} €"
                          f"{'' if p['balance_known'] else ' (départ inconnu)'} — {p['to_process']} à traiter"
                          for p in payload) or "Aucun compte."
        self.emit(options, payload, human + "\n")
