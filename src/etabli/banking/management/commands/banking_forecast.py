from decimal import Decimal, InvalidOperation

from django.core.management.base import CommandError

from etabli.banking.errors import BankingError
from etabli.common.formats import format_date, format_eur
from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = ("Prévision de trésorerie jour par jour (3 scénarios), alertes avec leurs causes et les actions "
            "suggérées ; --what-if pour simuler un changement.")

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Identifiant de l'entreprise (slug).")
        parser.add_argument("--days", type=int, default=None, help="Horizon en jours (90 par défaut).")
        parser.add_argument("--threshold", default=None, help="Seuil d'alerte en euros pour ce calcul (sinon le réglage).")
        parser.add_argument("--what-if", action="append", default=[], dest="what_if",
                            help="Changement en français, p. ex. « achat véhicule 25 000 € le 15/01 » (répétable).")

    def handle(self, *args, **options):
        import datetime as dt

        from etabli.banking.services import run_forecast, run_what_if

        company = self.company(options["company"])
        threshold = None
        if options["threshold"] is not None:
            try:
                threshold = Decimal(options["threshold"].replace(",", ".").replace(" ", ""))
            except InvalidOperation as exc:
                raise CommandError(f"Seuil invalide : « {options['threshold']} ».") from exc
        if options["days"] is not None and not 1 <= options["days"] <= 366:
            raise CommandError("--days doit être compris entre 1 et 366.")
        try:
            if options["what_if"]:
                payload = run_what_if(company=company, changes=options["what_if"], days=options["days"])
                human = "\n".join([c["explanation"] for c in payload["changes"]] + [payload["summary"]])
                self.emit(options, payload, human + "\n")
                return
            payload = run_forecast(company=company, days=options["days"], threshold=threshold)
        except BankingError as exc:
            raise CommandError(exc.message) from exc
        start = format_date(dt.date.fromisoformat(payload["as_of"]))
        opening = format_eur(Decimal(payload["opening_balance"]))
        lines = [f"Prévision de trésorerie de {company} sur {payload['days']} jours à partir du {start} (solde {opening}) :"]
        for key, label in (("pessimistic", "pessimiste"), ("realistic", "réaliste"), ("optimistic", "optimiste")):
            low = payload["lowest"][key]
            lines.append(f"  Point bas {label} : {format_eur(Decimal(low['balance']), 0)} le "
                         f"{format_date(dt.date.fromisoformat(low['date']))}")
        if not payload["alerts"]:
            lines.append(f"Aucun passage sous {format_eur(Decimal(payload['threshold']), 0)} prévu.")
        for alert in payload["alerts"]:
            lines.append(alert["message"])
            lines += [f"    cause : {cause['description']}" for cause in alert["causes"]]
            lines += [f"    action : {action['message']}" for action in alert["actions"]]
        lines += [f"Note : {note}" for note in payload["notes"]]
        self.emit(options, payload, "\n".join(lines) + "\n")
