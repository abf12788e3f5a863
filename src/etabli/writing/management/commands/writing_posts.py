"""etabli writing posts --company SLUG --themes conseil,temoignage,offre [--networks facebook,instagram] [--json]"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.writing import services
from etabli.writing.management.commands._common import document, human, run_request


class Command(EtabliCommand):
    help = "Publications de la semaine (conseil, témoignage, offre du mois…) : brouillons étiquetés, un par thème et par réseau."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (etabli company list).")
        parser.add_argument("--themes", required=True,
                            help="Thèmes séparés par des virgules : conseil, temoignage, offre, coulisses, evenement.")
        parser.add_argument("--networks", default="", help="Réseaux : facebook, instagram, linkedin, x (défaut : profil).")
        parser.add_argument("--count", type=int, default=None, help="Nombre de publications (défaut : une par thème).")
        parser.add_argument("--week-start", default="", help="Premier jour de la semaine à planifier (AAAA-MM-JJ).")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        week_start = None
        if options["week_start"]:
            try:
                week_start = dt.date.fromisoformat(options["week_start"])
            except ValueError as exc:
                raise CommandError(f"Date invalide : « {options['week_start']} » (format AAAA-MM-JJ).") from exc
        batch = run_request(lambda: services.request_posts(
            company=company, themes=options["themes"], networks=options["networks"] or None, count=options["count"],
            week_start=week_start, run="foreground"))
        payload = document(batch, company)
        payload["posts"] = payload.pop("drafts")
        self.emit(options, payload, human(batch, payload["posts"]))
