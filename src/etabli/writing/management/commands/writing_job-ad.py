"""etabli writing job-ad "Menuisier poseur, CDI, Nantes, 3 ans d'expérience…" --company SLUG [--json]"""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.writing import services
from etabli.writing.management.commands._common import document, human, run_request


class Command(EtabliCommand):
    help = "Annonce d'emploi (H/F, sans critère discriminatoire) à partir d'un brief d'une phrase."

    def add_arguments(self, parser):
        parser.add_argument("brief", help="Le poste en une phrase : intitulé, contrat, lieu, profil, salaire, début.")
        parser.add_argument("--company", required=True)

    def handle(self, *args, **options):
        company = self.company(options["company"])
        batch = run_request(lambda: services.request_job_ad(company=company, brief=options["brief"], run="foreground"))
        payload = document(batch, company)
        drafts = payload.pop("drafts")
        payload["job_ad"] = drafts[0] if drafts else None
        self.emit(options, payload, human(batch, drafts))
