"""etabli writing products FILE.csv --company SLUG [--output OUT.csv] [--style luxe] [--include-price] [--json]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.writing import selectors, services
from etabli.writing.constants import MAX_CSV_BYTES
from etabli.writing.management.commands._common import document, human, run_request


class Command(EtabliCommand):
    help = "Descriptions produits en lot depuis un CSV (barre de progression), exportées en CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV : une ligne par produit, colonne « nom » obligatoire.")
        parser.add_argument("--company", required=True)
        parser.add_argument("--output", default="", help="Fichier CSV à écrire (colonnes d'origine + descriptions).")
        parser.add_argument("--style", default="", help="Style : chaleureux, luxe, technique, fun…")
        parser.add_argument("--include-price", action="store_true", help="Citer le prix dans la description.")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : « {path} ».")
        if path.stat().st_size > MAX_CSV_BYTES:
            raise CommandError(f"Fichier trop volumineux : la limite est de {MAX_CSV_BYTES // (1024 * 1024)} Mo.")
        output = Path(options["output"]) if options["output"] else None
        if output is not None and not output.parent.exists():
            raise CommandError(f"Dossier de sortie introuvable : « {output.parent} ».")
        batch = run_request(lambda: services.request_products(
            company=company, data=path.read_bytes(), filename=path.name, style=options["style"],
            include_price=options["include_price"], run="foreground"))
        payload = document(batch, company)
        if output is not None:
            output.write_text(selectors.export_products_csv(batch=batch), encoding="utf-8-sig", newline="")
            payload["output"] = str(output)
        payload["products"] = payload.pop("drafts")
        summary = human(batch, payload["products"])
        if output is not None:
            summary += f"\n\nExport CSV : {output}"
        self.emit(options, payload, summary)
