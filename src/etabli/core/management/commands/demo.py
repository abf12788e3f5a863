import datetime as dt

from django.core.management.base import CommandError

from etabli.core.demo.loader import DemoError, credentials_path, load_demo
from etabli.core.management.base import EtabliCommand
from etabli.core.models import Company


class Command(EtabliCommand):
    help = "Crée l'entreprise de démonstration « Menuiserie Martin » (8 salariés, 24 mois d'activité)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Graine (mêmes données pour la même graine).")
        parser.add_argument("--scale", type=int, default=1, help="Multiplie le volume (clients, ventes) : test de charge.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Date de fin (AAAA-MM-JJ).")
        parser.add_argument("--profile", choices=["menuiserie"], default="menuiserie",
                            help="Profil d'entreprise (la boulangerie viendra plus tard).")
        parser.add_argument("--reset", action="store_true", help="Recrée l'entreprise si elle existe.")
        parser.add_argument("--if-empty", action="store_true", help="Ne fait rien si la base contient déjà une entreprise.")

    def handle(self, *args, **options):
        if options["if_empty"] and Company.objects.exists():
            path = credentials_path()
            self.emit(options, {"created": False}, "La base contient déjà des données : démonstration non rechargée.\n"
                      + (path.read_text() if path.exists() else ""))
            return
        if options["scale"] < 1 or options["scale"] > 50:
            raise CommandError("--scale doit être compris entre 1 et 50.")
        try:
            # Loaders report progress; with --json it goes to stderr so stdout stays one JSON document.
            result = load_demo(seed=options["seed"], today=options["today"], scale=options["scale"],
                               reset=options["reset"], stdout=self.stderr if options["json"] else self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        payload = {"created": True, "company": result.company.slug, "login": result.owner_email,
                   "password": result.password, "modules_loaded": result.loaded, "modules_missing": result.missing}
        human = credentials_path().read_text()
        if result.missing:
            human += f"  Modules pas encore installés (données non chargées) : {', '.join(result.missing)}\n"
        self.emit(options, payload, human)
