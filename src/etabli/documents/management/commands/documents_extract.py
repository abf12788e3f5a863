"""`etabli documents extract FILE… --json`: read invoices without storing anything (benchmark contract)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.documents.extraction import extract_contract
from etabli.documents.fields import FIELD_LABELS, display


class Command(EtabliCommand):
    help = "Lit des factures (PDF, images, Factur-X/UBL/CII) et affiche leurs champs, sans rien enregistrer."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fichiers à lire.")

    def handle(self, *args, **options):
        missing = [f for f in options["files"] if not Path(f).is_file()]
        if missing:
            raise CommandError(f"Fichier introuvable : {', '.join(missing)}")
        results = [extract_contract(Path(f)) for f in options["files"]]
        if options.get("json"):
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n\n".join(self._human(entry) for entry in results) + "\n")
        failed = [entry for entry in results if entry.get("error")]
        if failed:
            raise CommandError("; ".join(f"{e['file']} : {e['error']['message']}" for e in failed))

    @staticmethod
    def _human(entry: dict) -> str:
        if entry.get("error"):
            return f"{entry['file']} — illisible : {entry['error']['message']}"
        lines = [f"{entry['file']} ({entry['doc_type']})"]
        for name, value in entry["fields"].items():
            if value is not None:
                shown = display(name, str(value)) if name.startswith("total") else value
                lines.append(f"  {FIELD_LABELS.get(name, name):<16} {shown}  ({round(entry['confidence'][name] * 100)} %)")
        for check in entry["checks"]:
            lines.append(f"  {'✓' if check['ok'] else '✗'} {check['message']}")
        return "\n".join(lines)
