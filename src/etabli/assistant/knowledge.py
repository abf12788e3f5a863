"""What the knowledge base is made of, in the company's words, and how it becomes engine input.

Facts ("informations pratiques") are FAQ entries with a topic: the owner fills an answer per topic and the
assistant already knows the usual ways customers ask about it. Opening hours are typed as a weekly grid and
their answer is written from it (so the hand-over message and the FAQ answer never disagree).
Catalogue prices come from the billing app at build time, never typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from etabli.common.formats import format_eur, format_number

#: Topic → (title, the questions customers usually ask about it). Order = the order of the form.
FACT_TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "horaires": (
        "Horaires d'ouverture",
        (
            "Quels sont vos horaires ?",
            "Êtes-vous ouverts le samedi ?",
            "Êtes-vous ouverts le dimanche ?",
            "À quelle heure ouvrez-vous ?",
            "Vous fermez à quelle heure ?",
            "Êtes-vous ouverts entre midi et deux ?",
            "Quand puis-je passer vous voir ?",
            "Horaires d'ouverture",
            "Vous êtes ouverts aujourd'hui ?",
        ),
    ),
    "adresse": (
        "Adresse et accès",
        (
            "Où êtes-vous situés ?",
            "Quelle est votre adresse ?",
            "Comment venir chez vous ?",
            "Avez-vous un parking ?",
            "Où se trouve votre magasin ?",
        ),
    ),
    "contact": (
        "Nous contacter",
        (
            "Comment vous joindre ?",
            "Quel est votre numéro de téléphone ?",
            "Avez-vous une adresse e-mail ?",
            "Je voudrais vous appeler",
            "Comment vous contacter ?",
        ),
    ),
    "zone": (
        "Zone d'intervention",
        (
            "Quelle est votre zone d'intervention ?",
            "Jusqu'où vous déplacez-vous ?",
            "Intervenez-vous dans ma commune ?",
            "Travaillez-vous en dehors de la ville ?",
            "Vous déplacez-vous à domicile ?",
        ),
    ),
    "delais": (
        "Délais de fabrication et de pose",
        (
            "Quels sont vos délais ?",
            "Quel est le délai de fabrication ?",
            "Combien de temps faut-il pour une commande sur mesure ?",
            "Quand pouvez-vous poser ?",
            "Dans combien de temps serez-vous disponibles ?",
            "Quel est le délai de livraison ?",
        ),
    ),
    "livraison": (
        "Livraison",
        (
            "Livrez-vous ?",
            "La livraison est-elle payante ?",
            "Combien coûte la livraison ?",
            "Puis-je retirer ma commande sur place ?",
            "Livrez-vous à domicile ?",
        ),
    ),
    "paiement": (
        "Moyens de paiement",
        (
            "Quels moyens de paiement acceptez-vous ?",
            "Puis-je payer par carte bancaire ?",
            "Acceptez-vous les chèques ?",
            "Faut-il verser un acompte ?",
            "Comment régler ma facture ?",
            "Puis-je payer par virement ?",
        ),
    ),
    "retours": (
        "Retours, échanges et annulation",
        (
            "Acceptez-vous les retours ?",
            "Puis-je retourner un produit ?",
            "Comment annuler ma commande ?",
            "Puis-je échanger un article ?",
            "Quelle est votre politique de retour ?",
        ),
    ),
    "garanties": (
        "Garanties",
        (
            "Quelles garanties proposez-vous ?",
            "Êtes-vous assurés ?",
            "Combien de temps est-ce garanti ?",
            "Que se passe-t-il en cas de défaut ?",
            "Avez-vous une garantie ?",
        ),
    ),
    "devis": (
        "Demande de devis",
        (
            "Comment obtenir un devis ?",
            "Le devis est-il gratuit ?",
            "Pouvez-vous me faire un devis ?",
            "En combien de temps recevrai-je mon devis ?",
            "Je voudrais un devis",
        ),
    ),
}


def topic_title(topic: str) -> str:
    return FACT_TOPICS[topic][0] if topic in FACT_TOPICS else topic


def default_questions(topic: str) -> list[str]:
    return list(FACT_TOPICS[topic][1]) if topic in FACT_TOPICS else []


def hours_answer(description: str, note: str = "") -> str:
    """The FAQ answer of the opening-hours fact, written from the weekly grid."""
    if not description:
        return note
    text = f"Nous sommes ouverts {description}."
    return f"{text} {note}".strip() if note else text


# --- Catalogue prices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueItem:
    """A product or service of the catalogue as the billing app sells it (HT price, VAT rate in %)."""

    reference: str
    name: str
    unit: str
    unit_price: Decimal
    vat_rate: Decimal


UNIT_LABELS = {"u": "l'unité", "ml": "le mètre linéaire", "m²": "le mètre carré", "m2": "le mètre carré",
               "h": "de l'heure", "forfait": "le forfait", "j": "la journée", "kg": "le kilo"}


def catalogue_answer(item: CatalogueItem) -> str:
    """Only what the catalogue says: name, HT price, unit, VAT rate (never a delay nor a promise)."""
    unit = UNIT_LABELS.get(item.unit, f"par {item.unit}" if item.unit else "")
    rate = format_number(item.vat_rate, 1 if item.vat_rate != item.vat_rate.to_integral() else 0)
    return (
        f"Prix catalogue de « {item.name} » : {format_eur(item.unit_price)} HT {unit}".rstrip()
        + f" (TVA {rate} % en sus selon votre situation). Le prix de votre projet figure sur le devis."
    )


def catalogue_questions(item: CatalogueItem) -> tuple[str, ...]:
    name = item.name[0].lower() + item.name[1:]
    return (
        f"Combien coûte {name} ?",
        f"Quel est le prix de {name} ?",
        f"Prix {name}",
        f"Tarif {name}",
    )
