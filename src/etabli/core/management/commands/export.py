from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.core.services import audit
from etabli.core.services.export import export_company


class Command(EtabliCommand):
    help = "Exporte toutes les données d'une entreprise (CSV + JSON + fichiers, avec un manifeste) dans un ZIP."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (ex. menuiserie-martin).")
        parser.add_argument("output", help="Chemin du fichier ZIP à écrire.")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        out = Path(options["output"]).expanduser()
        if out.is_dir():
            raise CommandError(f"{out} est un dossier : indiquez un nom de fichier .zip.")
        try:
            manifest = export_company(company, out)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire {out} : {exc.strerror}") from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        audit.record(action="export", company=company, model="core.Company", object_id=company.pk,
                     object_repr=f"Export complet en ligne de commande ({rows} lignes)")
        self.emit(options, {"path": str(out), "tables": manifest["tables"], "rows": rows},
                  f"Export écrit : {out} ({len(manifest['tables'])} tables, {rows} lignes)\n")
