from etabli.core.management.base import EtabliCommand


class Command(EtabliCommand):
    help = (
        "Passe quotidienne de facturation : statuts, alertes d'échéance, scores de risque, relances du jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True)
        parser.add_argument("--no-dunning", action="store_true", help="Sans préparer les relances.")

    def handle(self, *args, **options):
        from dataclasses import asdict

        from etabli.billing.services.daily import daily_pass

        company = self.company(options["company"])
        report = daily_pass(company=company, dunning=not options["no_dunning"])
        data = asdict(report)
        human = (
            f"{report.became_overdue} facture(s) passée(s) en retard, {report.due_soon_alerts} alerte(s) "
            f"d'échéance, {report.overdue_alerts} alerte(s) de retard, {report.scored} facture(s) notée(s), "
            f"{report.reminders} relance(s) proposée(s).\n"
        )
        self.emit(options, data, human)
