import datetime as dt

from django.core.management.base import CommandError

from etabli.billing.errors import BillingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Risque de retard de chaque facture ouverte : probabilité, score 0–100, date de paiement attendue, raisons."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="Date du calcul (AAAA-MM-JJ)."
        )

    def handle(self, *args, **options):
        from etabli.billing.services.risk import score_company
        from etabli.engines.scoring import ScoringError

        company = self.company(options["company"])
        try:
            results = score_company(company=company, as_of=options["date"], refit=True)
        except (BillingError, ScoringError) as exc:
            raise CommandError(str(exc)) from exc
        payload = {"company": company.slug, "count": len(results), "invoices": [r.as_json() for r in results]}
        lines = [f"{len(results)} facture(s) ouverte(s) notée(s) pour {company} :"]
        for r in sorted(results, key=lambda r: -r.probability):
            lines.append(
                f"  {r.number:<16} {r.customer[:28]:<28} score {r.score:>3}/100 — paiement attendu "
                f"{r.expected_payment_date:%d/%m/%Y} — {' ; '.join(r.reasons[:3])}"
            )
        self.emit(options, payload, "\n".join(lines) + "\n")
