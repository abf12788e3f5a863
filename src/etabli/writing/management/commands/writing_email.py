"""etabli writing email FILE.eml --company SLUG [--json]  (tri, 2–3 réponses, synthèse du fil)"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from etabli.core.management.base import EtabliCommand
from etabli.writing import services
from etabli.writing.constants import MAX_EMAIL_BYTES
from etabli.writing.management.commands._common import document, human, run_request


class Command(EtabliCommand):
    help = "Courriel (.eml ou texte, « - » pour l'entrée standard) : tri avec raisons, 2–3 réponses, synthèse du fil."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .eml (ou texte du message) ; « - » lit l'entrée standard.")
        parser.add_argument("--company", required=True)

    def handle(self, *args, **options):
        company = self.company(options["company"])
        if options["file"] == "-":
            raw = sys.stdin.buffer.read(MAX_EMAIL_BYTES + 1)
            name = "entrée standard"
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : « {path} ».")
            if path.stat().st_size > MAX_EMAIL_BYTES:
                size = f"{path.stat().st_size / (1024 * 1024):.1f}".replace(".", ",")
                raise CommandError(
                    f"Fichier trop volumineux ({size} Mo) : la limite est de {MAX_EMAIL_BYTES // (1024 * 1024)} Mo. "
                    "Enregistrez les pièces jointes à part et gardez seulement le texte du message.")
            raw, name = path.read_bytes(), path.name
        batch = run_request(lambda: services.request_email(company=company, raw=raw, filename=name, run="foreground"))
        payload = document(batch, company)
        drafts = payload.pop("drafts")
        result = batch.result
        payload["triage"] = result.get("triage")
        payload["replies"] = [d for d in drafts if d["feature"] == "email_reply"]
        summary = next((d for d in drafts if d["feature"] == "thread_summary"), None)
        payload["summary"] = summary
        payload["summary_error"] = result.get("summary_error") or None
        triage = result["triage"]
        lines = [f"Classement : {triage['label_fr']} (confiance {round(triage['confidence'] * 100)} %)"]
        lines += [f"  - {reason}" for reason in triage["reasons"]]
        text = "\n".join(lines) + "\n\n" + human(batch, drafts)
        self.emit(options, payload, text)
