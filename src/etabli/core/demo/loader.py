"""Store the demo dataset: the core creates the company, its people and their access; each app stores the
part it owns through the loaders it registered (billing: customers, invoices…; banking: bank lines…).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from etabli.core.context import Actor, acting_as, audit_suspended
from etabli.core.demo.dataset import DemoDataset, generate
from etabli.core.models import Company, Membership, User
from etabli.core.registry import registry
from etabli.core.services import audit, companies

CREDENTIALS_FILE = "demo-credentials.txt"
SECOND_COMPANY_SLUG = "boulangerie-dupain"


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoResult:
    company: Company
    owner_email: str
    password: str
    loaded: list[str]
    missing: list[str]


def credentials_path() -> Path:
    return Path(settings.DATA_DIR) / CREDENTIALS_FILE


def load_demo(
    *, seed: int = 1, today: dt.date | None = None, scale: int = 1, reset: bool = False, stdout: TextIO | None = None
) -> DemoResult:
    dataset = generate(seed=seed, today=today, scale=scale)
    existing = Company.objects.filter(slug=dataset.company.slug).first()
    if existing is not None:
        if not reset:
            raise DemoError(
                f"L'entreprise de démonstration « {existing} » existe déjà (relancez avec --reset pour la recréer)."
            )
        existing.delete()
    password = secrets.token_urlsafe(9)
    with acting_as(Actor(label="Démonstration", channel="cli")), transaction.atomic():
        with audit_suspended():
            company = _create_company(dataset)
            _create_people(company, dataset, password)
            _create_second_company(dataset)
            loaded = []
            for _order, name, loader in registry.demo_loaders:
                loader(company=company, dataset=dataset, stdout=stdout)
                loaded.append(name)
        audit.record(action="create", company=company, model="core.Company", object_id=company.pk,
                     object_repr=f"Données de démonstration chargées (graine {seed}, échelle {scale})", force=True)
    owner = next(p for p in dataset.people if p.role == "owner")
    _write_credentials(owner.email, password, dataset)
    expected = {"facturation", "banque", "documents", "assistant", "redaction"}
    return DemoResult(company=company, owner_email=owner.email, password=password, loaded=loaded,
                      missing=sorted(expected - set(loaded)))


def _create_company(dataset: DemoDataset) -> Company:
    c = dataset.company
    return companies.create_company(
        legal_name=c.legal_name, slug=c.slug, trade_name=c.trade_name, legal_form=c.legal_form,
        share_capital=c.share_capital, siren=c.siren, siret=c.siret, vat_number=c.vat_number, rcs_city=c.rcs_city,
        naf_code=c.naf_code, address_line1=c.address_line1, postal_code=c.postal_code, city=c.city, email=c.email,
        phone=c.phone, website=c.website, hourly_cost=c.hourly_cost, employees_count=c.employees_count,
        is_demo=True, settings={"demo_seed": dataset.seed, "demo_today": dataset.today.isoformat(),
                                "bank_iban": c.iban, "bank_bic": c.bic},
    )


def _create_people(company: Company, dataset: DemoDataset, password: str) -> None:
    hashed = make_password(password)  # Argon2 is slow on purpose: hash the shared demo password once
    for person in dataset.people:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(email=person.email, password=None, first_name=person.first_name,
                                            last_name=person.last_name)
        user.password = hashed
        user.save(update_fields=["password"])
        Membership.objects.update_or_create(user=user, company=company, defaults={"role": person.role, "is_active": True})


def _create_second_company(dataset: DemoDataset) -> None:
    """The accountant's second client, so switching company can be tried at once."""
    if Company.objects.filter(slug=SECOND_COMPANY_SLUG).exists():
        return
    from etabli.core.demo.dataset import make_siren, make_siret, make_vat
    import random

    rng = random.Random(2000 + dataset.seed)
    siren = make_siren(rng)
    company = companies.create_company(
        legal_name="Boulangerie Dupain EURL", slug=SECOND_COMPANY_SLUG, trade_name="Boulangerie Dupain",
        legal_form="EURL", siren=siren, siret=make_siret(siren, rng), vat_number=make_vat(siren), naf_code="10.71C",
        address_line1="3 place du Bouffay", postal_code="44000", city="Nantes", employees_count=4, is_demo=True,
    )
    accountant = User.objects.get(email=next(p for p in dataset.people if p.role == "accountant").email)
    Membership.objects.get_or_create(user=accountant, company=company, defaults={"role": "accountant"})
    baker = User.objects.filter(email="jeanne@boulangerie-dupain.fr").first() or User.objects.create_user(
        email="jeanne@boulangerie-dupain.fr", password=None, first_name="Jeanne", last_name="Dupain")
    Membership.objects.get_or_create(user=baker, company=company, defaults={"role": "owner"})


def _write_credentials(email: str, password: str, dataset: DemoDataset) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    accountant = next(p for p in dataset.people if p.role == "accountant")
    path.write_text(
        "Établi — compte de démonstration\n"
        f"  Adresse : {settings.SITE_URL}/\n"
        f"  Dirigeant (Menuiserie Martin) : {email}\n"
        f"  Expert-comptable (deux entreprises) : {accountant.email}\n"
        f"  Mot de passe (tous les comptes de démonstration) : {password}\n"
    )
    path.chmod(0o600)
