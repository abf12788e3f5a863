"""`etabli assistant rebuild --company SLUG`: fit the assistant's models now (normally a background job)."""

from __future__ import annotations

from etabli.assistant.retrieval import rebuild_now
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Réapprend tout de suite les réponses de l'assistant d'une entreprise (d'habitude en tâche de fond)."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)

    def handle(self, *args, **options):
        company = self.company(options["company"])
        result = rebuild_now(company)
        human = "\n".join(f"{audience} : version {r['version']}, {r['entries']} réponses, {r['passages']} passages,"
                          f" {r['seconds']} s" for audience, r in result.items())
        self.emit(options, result, human + "\n")
