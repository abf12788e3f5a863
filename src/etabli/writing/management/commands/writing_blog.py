"""etabli writing blog "Comment choisir ses fenêtres en bois, 800 mots" --company SLUG [--json]"""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.writing import services
from etabli.writing.management.commands._common import document, human, run_request


class Command(EtabliCommand):
    help = "Plan d'article de blog (titre SEO, intertitres, FAQ, appel à l'action) à partir d'un brief."

    def add_arguments(self, parser):
        parser.add_argument("brief", help="Le sujet, puis éventuellement la longueur, le public et les mots-clés.")
        parser.add_argument("--company", required=True)

    def handle(self, *args, **options):
        company = self.company(options["company"])
        batch = run_request(lambda: services.request_blog_outline(company=company, brief=options["brief"],
                                                                  run="foreground"))
        payload = document(batch, company)
        drafts = payload.pop("drafts")
        payload["outline"] = drafts[0] if drafts else None
        self.emit(options, payload, human(batch, drafts))
