"""`etabli documents ingest PATH… --company SLUG`: store files (or folders of files), then read them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.core.services.jobs import run_in_foreground


class Command(EtabliCommand):
    help = "Enregistre des fichiers (ou dossiers) comme documents, puis les lit (OCR, classement, champs)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Fichiers ou dossiers (parcourus récursivement).")
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (etabli company list).")
        parser.add_argument("--no-process", action="store_true",
                            help="Enregistrer seulement : la lecture est faite par le travailleur de tâches.")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        missing = [p for p in options["paths"] if not Path(p).expanduser().exists()]
        if missing:
            raise CommandError(f"Chemin introuvable : {', '.join(missing)}")
        job = run_in_foreground(company=company, kind="documents.ingest",
                                label=f"Documents : {len(options['paths'])} chemin(s)",
                                params={"paths": [str(Path(p).expanduser().resolve()) for p in options["paths"]],
                                        "process": not options["no_process"]})
        if job.status != "succeeded":
            raise CommandError(job.error or "L'enregistrement a échoué.")
        result = job.result
        lines = []
        for entry in result["documents"]:
            if entry.get("error"):
                lines.append(f"✗ {entry['file']} : {entry['error']}")
                continue
            state = entry.get("status_label", "")
            extra = f" — {entry['reason']}" if entry.get("reason") else ""
            known = "" if entry.get("created") else " (déjà reçu)"
            lines.append(f"• {entry['file']} → document n° {entry['document_id']}{known} : {state}{extra}")
        counts = ", ".join(f"{k} : {v}" for k, v in sorted(result["counts"].items()))
        self.emit(options, result, "\n".join(lines) + f"\n{result['files']} fichier(s) ; {counts}\n")
        if any(entry.get("error") for entry in result["documents"]):
            raise CommandError("Certains fichiers n'ont pas pu être lus sur le disque (voir ci-dessus).")
