from etabli.core.management.base import EtabliCommand
from etabli.core.services.digest import build_digest, recipients, send_digest


class Command(EtabliCommand):
    help = "Envoie (ou affiche avec --preview) le résumé quotidien d'une entreprise."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--preview", action="store_true", help="Affiche sans envoyer.")

    def handle(self, *args, **options):
        company = self.company(options["company"])
        if options["preview"]:
            people = recipients(company)
            if not people:
                self.emit(options, {"recipients": []}, "Aucun destinataire (dirigeant, responsable ou comptable).\n")
                return
            digest = build_digest(company=company, user=people[0])
            self.emit(options, {"subject": digest.subject, "text": digest.text}, f"{digest.subject}\n\n{digest.text}")
            return
        sent = send_digest(company=company, send_empty=True)
        self.emit(options, {"sent": sent}, f"{sent} résumé(s) envoyé(s).\n")
