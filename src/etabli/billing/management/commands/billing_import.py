from pathlib import Path

from django.core.management.base import CommandError

from etabli.billing.errors import BillingError
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = "Importe des factures électroniques (PDF Factur-X, XML UBL ou CII) comme factures clients ou fournisseurs."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--direction", choices=["auto", "customer", "supplier"], default="auto")
        parser.add_argument("files", nargs="+", help="Fichiers à importer.")

    def handle(self, *args, **options):
        from etabli.billing.services import import_einvoice

        company = self.company(options["company"])
        results, errors = [], []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                errors.append({"file": name, "error": "Fichier introuvable."})
                continue
            try:
                result = import_einvoice(
                    company=company,
                    data=path.read_bytes(),
                    filename=path.name,
                    direction=options["direction"],
                )
            except BillingError as exc:
                errors.append({"file": name, "error": exc.message})
                continue
            results.append(
                {
                    "file": name,
                    "invoice_id": result.invoice.id,
                    "number": result.invoice.number,
                    "partner": result.partner.name,
                    "direction": result.direction,
                    "total_ttc": str(result.invoice.total_ttc),
                    "warnings": list(result.warnings),
                }
            )
        payload = {"imported": results, "errors": errors}
        human = (
            "\n".join(
                [f"Importée : {r['number']} ({r['partner']}, {r['total_ttc']} €)" for r in results]
                + [f"Refusée : {e['file']} — {e['error']}" for e in errors]
            )
            + "\n"
        )
        if errors and not results:  # nothing imported: a failure (exit 1) with the French reason
            raise CommandError(
                errors[0]["error"]
                if len(errors) == 1
                else f"{len(errors)} fichiers refusés : " + " ; ".join(e["error"] for e in errors[:3])
            )
        self.emit(options, payload, human)
