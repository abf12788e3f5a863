from django.core.management.base import CommandError

from etabli.banking.errors import BankingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Rapproche les opérations à traiter des factures ouvertes (propositions à valider) et les catégorise."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")

    def handle(self, *args, **options):
        from etabli.banking.services import reconcile_lines

        company = self.company(options["company"])
        try:
            outcome = reconcile_lines(company=company)
        except BankingError as exc:
            raise CommandError(exc.message) from exc
        self.emit(options, outcome.as_dict(), outcome.summary() + "\n")
