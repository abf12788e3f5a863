"""`etabli documents retrain --company SLUG`: retrain the document classifier (skipped when nothing changed)."""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.documents.services.learning import retrain


class Command(EtabliCommand):
    help = "Réentraîne le classement des documents sur les corrections (rien si rien n'a changé)."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--force", action="store_true", help="Même si rien n'a changé.")

    def handle(self, *args, **options):
        result = retrain(self.company(options["company"]), force=options["force"])
        human = (f"Modèle réentraîné sur {result['samples']} document(s) en {result.get('seconds', 0)} s."
                 if result["retrained"] else result["reason"])
        self.emit(options, result, human + "\n")
