"""Demo data of the writing assistant ("redaction"): Menuiserie Martin's writing profile.

The offer of the month, the testimonials and the events are dated from the dataset's "today", so the
week's posts can be written at once whatever day the demo is loaded (``etabli writing posts --company
menuiserie-martin --themes conseil,temoignage,offre``). Testimonials come from customers of the dataset
(private customers, first name and initial only) and are marked as consented: in real use the owner
ticks that box only after asking.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from etabli.core.demo.dataset import DemoDataset

TIPS = (
    ("Des fenêtres en bois qui durent : nettoyez-les à l'eau savonneuse au printemps et passez une lasure dès que "
     "le bois grisaille."),
    ("Une porte qui frotte en hiver : le bois gonfle avec l'humidité, resserrez d'abord les vis des charnières et "
     "attendez une période sèche avant de raboter."),
    "Protéger un parquet massif : des patins sous les meubles et un entretien à l'huile plutôt qu'à grande eau.",
)
SCENES = (
    "Cette semaine à l'atelier, Karim et Lucie assemblent un escalier en hêtre pour une maison de Rezé.",
    "Yann et Théo ont posé six fenêtres bois double vitrage dans une maison des années 1930.",
    "Enzo, notre apprenti, a réalisé seul sa première porte intérieure, de la découpe aux finitions.",
)
TESTIMONIALS = (
    ("Escalier sur mesure posé en deux jours, des finitions impeccables et une équipe à l'écoute. Je recommande !",),
    ("Nos nouvelles fenêtres en bois ont tout changé : plus de courants d'air et un travail très propre.",),
    ("Un devis clair, des délais tenus et un parquet magnifique. Merci à toute l'équipe !",),
)


def _demo_customers(dataset: DemoDataset) -> list[tuple[str, str]]:
    """(« Camille D. », city) for the first private customers of the dataset."""
    people = [c for c in dataset.customers if c.kind == "person" and c.profile != "late_payer"]
    result = []
    for customer in people[: len(TESTIMONIALS)]:
        first, _, last = customer.name.partition(" ")
        result.append((f"{first} {last[:1]}.", customer.city))
    return result


def profile_fields(dataset: DemoDataset) -> dict:
    today = dataset.today
    company = dataset.company
    product = next(p for p in dataset.products if p.sku == "FEN-BOIS")
    regular_ttc = (product.unit_price * (1 + product.vat_rate / 100)).quantize(Decimal(1))
    return {
        "trade": "menuiserie",
        "city": company.city,
        "products": "\n".join([
            "fenêtres bois double vitrage sur mesure",
            "portes d'entrée en chêne massif",
            "escaliers sur mesure",
            "parquets en chêne massif",
            "placards et bibliothèques sur mesure",
            "agencement de cuisines",
        ]),
        "website": company.website.removeprefix("https://"),
        "phone": company.phone,
        "hashtags": "#MenuiserieNantes #SurMesure #BoisFrançais",
        "tips": "\n".join(TIPS),
        "behind_the_scenes": "\n".join(SCENES),
        "networks": "facebook",
        "offer_title": "Fenêtre bois double vitrage sur mesure",
        "offer_price": regular_ttc - Decimal(130),
        "offer_regular_price": regular_ttc,
        "offer_start": today - dt.timedelta(days=7),
        "offer_end": today + dt.timedelta(days=30),
        "offer_conditions": "prix TTC par fenêtre (TVA 10 % en rénovation), pose en sus, pour toute commande signée "
                            "pendant l'offre",
    }


def load_demo(*, company, dataset: DemoDataset, stdout: TextIO | None = None) -> None:
    """Store Menuiserie Martin's writing profile, testimonials and events (through the service)."""
    from etabli.writing.services import save_profile

    today = dataset.today
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 14)
    testimonials = [
        {"author": author, "city": city, "text": text[0], "consent": True}
        for (author, city), text in zip(_demo_customers(dataset), TESTIMONIALS, strict=False)
    ]
    events = [
        {"title": "Portes ouvertes de l'atelier", "date": saturday, "time": "10h",
         "place": f"{dataset.company.address_line1}, {dataset.company.city}",
         "description": "Démonstrations de fabrication et conseils pour vos projets de rénovation"},
    ]
    save_profile(company=company, fields=profile_fields(dataset), testimonials=testimonials, events=events)
    if stdout is not None:
        stdout.write(f"  Rédaction : profil, offre du mois, {len(testimonials)} témoignages, {len(events)} événement\n")
