import datetime as dt

from django.core.management.base import CommandError

from etabli.billing.errors import BillingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = (
        "Passe de relance : propose (ou, avec --dry-run, liste) les relances dues aujourd'hui, avec leur ton."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Ne rien écrire : lister ce qui serait proposé."
        )
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="Date de la passe (AAAA-MM-JJ)."
        )

    def handle(self, *args, **options):
        from etabli.billing.services.dunning import run_dunning

        company = self.company(options["company"])
        try:
            report = run_dunning(company=company, as_of=options["date"], dry_run=options["dry_run"])
        except BillingError as exc:
            raise CommandError(exc.message) from exc
        payload = report.as_json()
        verb = "à proposer" if report.dry_run else "traitées"
        lines = [f"{len(report.entries)} relance(s) {verb} au {report.as_of:%d/%m/%Y} pour {company} :"]
        for e in report.entries:
            lines.append(
                f"  {e.number} — {e.customer} — {e.step} (J{e.days_from_due:+d}) — ton {e.tone_label.lower()} — "
                f"{e.amount_open} € — {e.outcome}{' : ' + e.message if e.message else ''}"
            )
        self.emit(options, payload, "\n".join(lines) + "\n")
