import json

from etabli.banking.errors import BankingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Passe quotidienne maintenant : rapprochement, surveillance des dépenses, prévision et alertes."

    def add_arguments(self, parser):
        parser.add_argument("--company", default="", help="Identifiant de l'entreprise (toutes si absent).")

    def handle(self, *args, **options):
        from etabli.banking.services import daily_pass
        from etabli.core.models import Company

        companies = [self.company(options["company"])] if options["company"] else list(Company.objects.all())
        result = {}
        for company in companies:
            try:
                result[company.slug] = daily_pass(company=company)
            except BankingError as exc:
                result[company.slug] = {"error": exc.message}
        human = "\n".join(f"{slug} : {json.dumps(report, ensure_ascii=False, default=str)}" for slug, report in result.items())
        self.emit(options, result, human + "\n")
