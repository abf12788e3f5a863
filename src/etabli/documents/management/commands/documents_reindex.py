"""`etabli documents reindex`: rebuild the full-text index (after a restore or a database change)."""

from __future__ import annotations

from etabli.core.management.base import EtabliCommand
from etabli.documents.search import rebuild


class Command(EtabliCommand):
    help = "Reconstruit l'index de recherche plein texte des documents (après une restauration)."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="Seulement cette entreprise.")

    def handle(self, *args, **options):
        company = self.company(options["company"]) if options.get("company") else None
        count = rebuild(company)
        self.emit(options, {"indexed": count}, f"{count} document(s) indexé(s).\n")
