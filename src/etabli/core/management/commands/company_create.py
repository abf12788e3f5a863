from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from etabli.core.management.base import EtabliCommand
from etabli.core.models import User
from etabli.core.services import companies


class Command(EtabliCommand):
    help = "Crée une entreprise et son dirigeant (compte créé s'il n'existe pas)."

    def add_arguments(self, parser):
        parser.add_argument("legal_name", help="Raison sociale.")
        parser.add_argument("--owner", required=True, help="E-mail du dirigeant.")
        parser.add_argument("--password-file", help="Fichier contenant le mot de passe du dirigeant (nouveau compte).")
        parser.add_argument("--slug", default="")
        parser.add_argument("--siren", default="")
        parser.add_argument("--siret", default="")
        parser.add_argument("--vat-number", default="")
        parser.add_argument("--naf", default="")

    @transaction.atomic
    def handle(self, *args, **options):
        email = options["owner"].strip().lower()
        user = User.objects.filter(email=email).first()
        password = None
        if user is None:
            if options["password_file"]:
                password = open(options["password_file"], encoding="utf-8").read().strip()
            else:
                password = companies.random_password()
            user = User.objects.create_user(email=email, password=password)
        try:
            company = companies.create_company(
                legal_name=options["legal_name"], owner=user, slug=options["slug"], siren=options["siren"],
                siret=options["siret"], vat_number=options["vat_number"], naf_code=options["naf"],
            )
        except ValidationError as exc:
            messages = "; ".join(f"{field} : {' '.join(errs)}" for field, errs in exc.message_dict.items())
            raise CommandError(f"Entreprise refusée — {messages}") from exc
        payload = {"company": company.slug, "owner": email}
        human = f"Entreprise « {company} » créée (identifiant {company.slug}), dirigeant {email}.\n"
        if password and not options["password_file"]:
            payload["password"] = password
            human += f"Mot de passe provisoire : {password}\n"
        self.emit(options, payload, human)
