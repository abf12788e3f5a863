"""A synthetic French corpus of business documents: the seed the classifier learns from on day one.

Why synthetic: no public data set holds French TPE documents of every type (payslips, bank statements
and contracts are private by nature), and copying one would bring its licence with it. The generator
below writes documents the way they look once read by pdfplumber or OCR: headers and addresses first,
titles not always on top, tables flattened into lines, two columns merged on one line, legal mentions,
and noise (accents lost, upper case, OCR confusions, lines dropped or merged). Each type has several
layouts (an invoice can be an artisan's invoice, an energy bill, a SaaS invoice in English, a till
receipt, a fee note…) and every wording is drawn among French variants, so the model learns the type
rather than one template.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same corpus, which is how a
stored model is retrained identically and how the benchmark holds out documents the model never saw
(another seed).

Metadata follow the app's reality: a customer invoice is mostly issued by the company itself
(``issuer_is_company=True``), a supplier invoice by someone else; when the issuer is unknown, supplier
invoices are three times as frequent as customer invoices (what a TPE's inbox holds).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from schwifty import IBAN
from stdnum import luhn

from etabli.engines.classify.errors import ClassifyError
from etabli.engines.classify.labels import (
    AUTRE,
    AVOIR,
    BON_DE_LIVRAISON,
    BULLETIN_DE_PAIE,
    CONTRAT,
    COURRIER_ADMINISTRATIF,
    CV,
    DEVIS,
    DOC_TYPES,
    FACTURE_CLIENT,
    FACTURE_FOURNISSEUR,
    RELEVE_BANCAIRE,
)
from etabli.engines.classify.models import DocumentMeta

#: Bumped whenever the generator changes, so that stored models know their seed data changed.
GENERATOR_VERSION = "2"

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

FIRST_NAMES = [
    "Isabelle",
    "Jean",
    "Marie",
    "Pierre",
    "Sophie",
    "Nicolas",
    "Nathalie",
    "Philippe",
    "Camille",
    "Julien",
    "Anne",
    "Laurent",
    "Thomas",
    "Léa",
    "Lucas",
    "Manon",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Gabriel",
    "Inès",
    "Arthur",
    "Sarah",
    "Mathieu",
    "Céline",
    "Karim",
    "Fatima",
    "Yann",
    "Élodie",
    "Antoine",
    "Aurélie",
    "Mehdi",
    "Sandrine",
    "Olivier",
    "Valérie",
    "Romain",
    "Nadia",
    "Sébastien",
    "Claire",
]
SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Benali",
    "Traoré",
    "Diallo",
    "Le",
    "Gall",
    "Kerouac",
    "Hoarau",
    "Payet",
    "Schmitt",
]
TRADES = [
    "Plomberie",
    "Électricité",
    "Menuiserie",
    "Maçonnerie",
    "Peinture",
    "Couverture",
    "Chauffage",
    "Climatisation",
    "Carrelage",
    "Paysages",
    "Transports",
    "Boulangerie",
    "Informatique",
    "Conseil",
    "Nettoyage",
    "Serrurerie",
    "Charpente",
    "Isolation",
    "Rénovation",
    "Imprimerie",
    "Traiteur",
    "Garage",
    "Architecture",
    "Communication",
    "Sécurité",
]
PLACES = [
    "des Tilleuls",
    "du Parc",
    "des Lilas",
    "du Moulin",
    "Saint-Jacques",
    "des Vignes",
    "de l'Ouest",
    "du Centre",
    "Atlantique",
    "Alpes Services",
]
LEGAL = ["SARL", "SAS", "EURL", "SASU", "SA", "SNC", "EI", ""]
STREETS = [
    "rue",
    "avenue",
    "boulevard",
    "chemin",
    "allée",
    "impasse",
    "place",
    "route",
    "quai",
    "zone artisanale",
]
STREET_NAMES = """de la République|Victor Hugo|Jean Jaurès|de la Gare|des Écoles|Pasteur|du Général de Gaulle|
de Verdun|des Acacias|Gambetta|de la Liberté|du Stade|des Artisans|de l'Industrie|Émile Zola|Nationale|du Port""".replace(
    "\n", ""
).split("|")
CITIES = [
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13008", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("59000", "Lille"),
    ("67000", "Strasbourg"),
    ("35000", "Rennes"),
    ("34000", "Montpellier"),
    ("06000", "Nice"),
    ("21000", "Dijon"),
    ("37000", "Tours"),
    ("63000", "Clermont-Ferrand"),
    ("84340", "Malaucène"),
    ("74000", "Annecy"),
    ("29200", "Brest"),
    ("87000", "Limoges"),
    ("97400", "Saint-Denis"),
    ("51100", "Reims"),
]
BANKS = [
    ("Crédit Agricole", "AGRIFRPP", "13306"),
    ("BNP Paribas", "BNPAFRPP", "30004"),
    ("Société Générale", "SOGEFRPP", "30003"),
    ("LCL", "CRLYFRPP", "30002"),
    ("Banque Populaire", "CCBPFRPP", "10207"),
    ("Caisse d'Épargne", "CEPAFRPP", "17515"),
    ("Crédit Mutuel", "CMCIFR2A", "10278"),
    ("CIC", "CMCIFRPP", "30066"),
    ("La Banque Postale", "PSSTFRPP", "20041"),
    ("Qonto", "QNTOFRP1", "16958"),
    ("Shine", "SHNEFRP1", "17418"),
]
PRODUCTS = {
    "Plomberie": [
        ("Mitigeur thermostatique", 60, 250),
        ("Tube cuivre 14/16 (barre 2 m)", 15, 40),
        ("Raccord PER", 2, 12),
        ("Chauffe-eau électrique 200 L", 350, 900),
        ("Main d'œuvre plombier (heure)", 45, 65),
    ],
    "Électricité": [
        ("Tableau électrique 2 rangées", 80, 250),
        ("Disjoncteur différentiel 30 mA", 40, 120),
        ("Câble R2V 3G2,5 (couronne 50 m)", 60, 140),
        ("Prise de courant", 4, 15),
        ("Main d'œuvre électricien (heure)", 45, 60),
    ],
    "Matériaux": [
        ("Sac de ciment 35 kg", 8, 14),
        ("Parpaing 20x20x50", 1, 3),
        ("Plaque de plâtre BA13", 6, 12),
        ("Bastaing sapin 63x175", 10, 30),
        ("Laine de verre 100 mm (rouleau)", 20, 60),
        ("Sable 0/4 (tonne)", 30, 60),
    ],
    "Informatique": [
        ("Ordinateur portable 15 pouces", 600, 1500),
        ("Écran 27 pouces", 150, 400),
        ("Licence logiciel de gestion (an)", 200, 900),
        ("Forfait assistance (heure)", 50, 90),
        ("Câble réseau RJ45", 3, 15),
    ],
    "Bureau": [
        ("Ramette papier A4 80 g", 4, 8),
        ("Cartouche d'encre noire", 20, 60),
        ("Classeurs à levier (lot de 10)", 15, 35),
        ("Fauteuil de bureau", 90, 350),
    ],
    "Services": [
        ("Prestation de conseil (jour)", 400, 1200),
        ("Nettoyage des locaux (mois)", 200, 900),
        ("Maintenance annuelle chaudière", 120, 280),
        ("Création de site internet", 900, 4000),
        ("Formation sécurité (session)", 300, 1500),
        ("Transport et livraison", 40, 300),
    ],
    "Alimentation": [
        ("Farine T65 (sac 25 kg)", 15, 30),
        ("Beurre AOP (plaque 2,5 kg)", 20, 45),
        ("Œufs frais (plateau de 30)", 6, 12),
        ("Sucre en poudre (sac 10 kg)", 8, 16),
    ],
}
UTILITIES = [
    ("EDF", "électricité", "energie"),
    ("Engie", "gaz naturel", "energie"),
    ("TotalEnergies Électricité et Gaz", "électricité", "energie"),
    ("Orange Business", "telecom", "telecom"),
    ("SFR Business", "telecom", "telecom"),
    ("Bouygues Telecom Entreprises", "telecom", "telecom"),
    ("Free Pro", "telecom", "telecom"),
    ("Veolia Eau", "eau", "eau"),
    ("Saur", "eau", "eau"),
]
SAAS = [
    "OVHcloud",
    "Google Workspace",
    "Microsoft 365",
    "Amazon Web Services",
    "Slack Technologies",
    "Zoom Video",
    "Adobe Systems",
    "Dropbox",
]
ADMIN_BODIES = [
    ("URSSAF Rhône-Alpes", "urssaf.fr", "cotisations sociales"),
    ("URSSAF Île-de-France", "urssaf.fr", "cotisations sociales"),
    ("Direction générale des Finances publiques", "dgfip.finances.gouv.fr", "impôts"),
    ("Service des impôts des entreprises de Lyon 3e", "dgfip.finances.gouv.fr", "impôts"),
    ("Centre des finances publiques", "dgfip.finances.gouv.fr", "impôts"),
    ("Caisse primaire d'assurance maladie", "assurance-maladie.fr", "santé"),
    ("France Travail", "francetravail.fr", "emploi"),
    ("INSEE - Répertoire SIRENE", "insee.fr", "sirene"),
    ("Greffe du tribunal de commerce", "infogreffe.fr", "greffe"),
    ("Mairie de Dijon - Service urbanisme", "gouv.fr", "mairie"),
    ("Préfecture du Rhône", "rhone.gouv.fr", "prefecture"),
    ("DREETS - Inspection du travail", "dreets.gouv.fr", "travail"),
    ("MSA Alpes du Nord", "msa.fr", "cotisations sociales"),
    ("CARSAT Sud-Est", "carsat.fr", "retraite"),
]
JOBS = [
    "Plombier chauffagiste",
    "Électricien",
    "Assistante administrative",
    "Comptable",
    "Commercial terrain",
    "Technicien de maintenance",
    "Chef de chantier",
    "Développeur web",
    "Vendeuse",
    "Boulanger",
    "Chauffeur livreur",
    "Secrétaire de direction",
    "Menuisier poseur",
    "Frigoriste",
]
SCHOOLS = [
    "CAP",
    "BEP",
    "Bac professionnel",
    "BTS",
    "DUT",
    "Licence professionnelle",
    "Master",
    "Titre professionnel",
]
CONVENTIONS = [
    "Bâtiment ouvriers (IDCC 1596)",
    "Commerce de détail (IDCC 1505)",
    "Syntec (IDCC 1486)",
    "Métallurgie (IDCC 3248)",
    "Boulangerie-pâtisserie (IDCC 843)",
    "Transports routiers (IDCC 16)",
]
CONTRACT_KINDS = [
    ("CONTRAT DE PRESTATION DE SERVICES", "le Prestataire", "le Client", "la réalisation de prestations de"),
    (
        "CONTRAT DE MAINTENANCE",
        "le Prestataire",
        "le Client",
        "la maintenance préventive et corrective des installations de",
    ),
    (
        "CONTRAT DE TRAVAIL À DURÉE INDÉTERMINÉE",
        "l'Employeur",
        "le Salarié",
        "l'engagement du Salarié en qualité de",
    ),
    (
        "CONTRAT DE TRAVAIL À DURÉE DÉTERMINÉE",
        "l'Employeur",
        "le Salarié",
        "l'engagement du Salarié, pour accroissement temporaire d'activité, en qualité de",
    ),
    ("BAIL COMMERCIAL", "le Bailleur", "le Preneur", "la location des locaux à usage de"),
    ("CONTRAT DE LOCATION DE MATÉRIEL", "le Loueur", "le Locataire", "la location du matériel de"),
    (
        "CONVENTION DE PARTENARIAT",
        "la Société",
        "le Partenaire",
        "la collaboration des parties dans le domaine de",
    ),
    (
        "CONTRAT DE SOUS-TRAITANCE",
        "l'Entrepreneur principal",
        "le Sous-traitant",
        "l'exécution de travaux de",
    ),
    (
        "ACCORD DE CONFIDENTIALITÉ",
        "la Partie divulgatrice",
        "la Partie réceptrice",
        "la protection des informations échangées en matière de",
    ),
    (
        "LETTRE DE MISSION",
        "l'Expert-comptable",
        "le Client",
        "la tenue de la comptabilité et l'établissement des comptes annuels en matière de",
    ),
    ("CONTRAT D'ABONNEMENT", "le Fournisseur", "l'Abonné", "la fourniture d'un service de"),
]


@dataclass(frozen=True)
class SyntheticDocument:
    """One generated document: text as a reader would give it, its true type and its metadata."""

    text: str
    label: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)


@dataclass
class _Company:
    name: str
    street: str
    postcode: str
    city: str
    siren: str
    siret: str
    vat: str
    iban: str
    bic: str
    bank: str
    phone: str
    email: str
    capital: int
    trade: str


# --------------------------------------------------------------------------------------------------
# Small drawing helpers


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[rng.randrange(len(items))]


def _chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def _siren(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    return body + luhn.calc_check_digit(body)


def _siret(rng: random.Random, siren: str) -> str:
    nic = f"{rng.randrange(1, 999):04d}"
    body = siren + nic
    return body + luhn.calc_check_digit(body)


def _vat(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _iban(rng: random.Random, bank_code: str) -> str:
    account = "".join(str(rng.randrange(10)) for _ in range(11))
    branch = f"{rng.randrange(100, 99999):05d}"
    return str(IBAN.generate("FR", bank_code=bank_code + branch, account_code=account))


def _group(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def _person(rng: random.Random) -> str:
    return f"{_pick(rng, FIRST_NAMES)} {_pick(rng, SURNAMES)}"


def _company(rng: random.Random, trade: str | None = None) -> _Company:
    trade = trade or _pick(rng, TRADES)
    style = rng.randrange(4)
    if style == 0:
        base = f"{trade} {_pick(rng, SURNAMES)}"
    elif style == 1:
        base = f"{_pick(rng, SURNAMES)} {trade}"
    elif style == 2:
        base = f"{trade} {_pick(rng, PLACES)}"
    else:
        base = f"Ets {_pick(rng, SURNAMES)} et Fils"
    legal = _pick(rng, LEGAL)
    name = f"{base} {legal}".strip() if _chance(rng, 0.7) else f"{legal} {base}".strip()
    postcode, city = CITIES[rng.randrange(len(CITIES))]
    siren = _siren(rng)
    bank, bic, code = BANKS[rng.randrange(len(BANKS))]
    slug = "".join(ch for ch in base.lower() if ch.isalpha())[:14] or "contact"
    return _Company(
        name=name,
        street=f"{rng.randrange(1, 180)} {_pick(rng, STREETS)} {_pick(rng, STREET_NAMES)}",
        postcode=postcode,
        city=city,
        siren=siren,
        siret=_siret(rng, siren),
        vat=_vat(siren),
        iban=_iban(rng, code),
        bic=bic,
        bank=bank,
        phone="0" + str(rng.randrange(1, 8)) + " " + " ".join(f"{rng.randrange(100):02d}" for _ in range(4)),
        email=f"{_pick(rng, ['contact', 'compta', 'factures', 'accueil', 'admin'])}@{slug}.fr",
        capital=rng.choice([1000, 1500, 5000, 7500, 10000, 20000, 50000, 100000]),
        trade=trade,
    )


def _date(rng: random.Random, start: date = date(2019, 1, 1), end: date = date(2026, 11, 30)) -> date:
    return start + timedelta(days=rng.randrange((end - start).days))


def _fmt_date(rng: random.Random, day: date, english: bool = False) -> str:
    if english:
        return rng.choice(
            [f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}", day.strftime("%m/%d/%Y"), day.isoformat()]
        )
    style = rng.randrange(5)
    if style == 0:
        return day.strftime("%d/%m/%Y")
    if style == 1:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if style == 2:
        return day.strftime("%d.%m.%Y")
    if style == 3:
        return day.strftime("%d/%m/%y")
    return f"{day.day:02d} {MONTHS[day.month - 1].capitalize()} {day.year}"


def _money(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fmt_amount(rng: random.Random, value: Decimal, currency: bool = True, english: bool = False) -> str:
    negative = value < 0
    value = abs(value)
    integer, fraction = f"{value:.2f}".split(".")
    if english:
        text = f"{int(integer):,}.{fraction}"
        return ("-" if negative else "") + (
            f"${text}" if rng.random() < 0.4 else f"€{text}" if currency else text
        )
    separator = rng.choice([" ", " ", ".", "", "\u202f"])
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = separator.join(groups) + "," + fraction
    if negative:
        text = "-" + text
    if not currency:
        return text
    return text + rng.choice([" €", " €", "€", " EUR", " euros"])


def _address_block(company: _Company, rng: random.Random, with_ids: bool = False) -> list[str]:
    lines = [company.name, company.street, f"{company.postcode} {company.city}"]
    if _chance(rng, 0.5):
        lines.append(f"Tél. : {company.phone}" if _chance(rng, 0.5) else f"Tel {company.phone}")
    if _chance(rng, 0.5):
        lines.append(company.email)
    if with_ids:
        lines.append(f"SIRET : {_group(company.siret, 3) if _chance(rng, 0.5) else company.siret}")
    return lines


def _legal_footer(company: _Company, rng: random.Random) -> list[str]:
    parts = [
        f"{company.name} au capital de {company.capital} €" if _chance(rng, 0.6) else company.name,
        f"SIRET {company.siret}" if _chance(rng, 0.6) else f"SIREN {company.siren} RCS {company.city}",
        f"TVA intracommunautaire {company.vat}" if _chance(rng, 0.5) else f"N° TVA : {company.vat}",
    ]
    if _chance(rng, 0.4):
        parts.append(f"Code APE {rng.randrange(10, 99)}{rng.randrange(10, 99)}{_pick(rng, list('ABCZ'))}")
    return [" - ".join(parts)] if _chance(rng, 0.6) else parts


def _bank_block(company: _Company, rng: random.Random) -> list[str]:
    iban = _group(company.iban) if _chance(rng, 0.6) else company.iban
    if _chance(rng, 0.5):
        return [f"IBAN : {iban} - BIC : {company.bic}"]
    return ["Coordonnées bancaires :", f"{company.bank}", f"IBAN {iban}", f"BIC {company.bic}"]


def _lines_items(rng: random.Random, trade: str, count: int) -> list[tuple[str, Decimal, Decimal]]:
    catalogue_key = trade if trade in PRODUCTS else rng.choice(list(PRODUCTS))
    catalogue = PRODUCTS[catalogue_key] + PRODUCTS[rng.choice(list(PRODUCTS))]
    items = []
    for _ in range(count):
        label, low, high = catalogue[rng.randrange(len(catalogue))]
        quantity = Decimal(rng.choice([1, 1, 1, 2, 3, 4, 5, 10, 12, 20, 25, 50]))
        price = _money(rng.uniform(low, high))
        items.append((label, quantity, price))
    return items


def _table(
    rng: random.Random,
    items: list[tuple[str, Decimal, Decimal]],
    with_prices: bool = True,
    english: bool = False,
) -> tuple[list[str], Decimal]:
    headers_fr = [
        "Désignation Qté P.U. HT Montant HT",
        "Description Quantité Prix unitaire Total HT",
        "Réf. Désignation Qté PU HT TVA Total HT",
        "Article Qté Prix Montant",
    ]
    headers_en = ["Description Quantity Unit price Amount", "Item Qty Price Total"]
    lines = [_pick(rng, headers_en if english else headers_fr)] if _chance(rng, 0.85) else []
    total = Decimal(0)
    for label, quantity, price in items:
        amount = _money(quantity * price)
        total += amount
        reference = f"{rng.randrange(10000, 99999)} " if _chance(rng, 0.3) else ""
        if with_prices:
            lines.append(
                f"{reference}{label} {quantity} {_fmt_amount(rng, price, currency=False, english=english)} {_fmt_amount(rng, amount, currency=_chance(rng, 0.3), english=english)}"
            )
        else:
            lines.append(f"{reference}{label} {quantity}")
    return lines, total


def _totals(
    rng: random.Random, net: Decimal, rate: Decimal, kind: str = "facture", negative: bool = False
) -> tuple[list[str], Decimal]:
    vat = _money(net * rate / 100)
    gross = net + vat
    if negative:
        net, vat, gross = -net, -vat, -gross
    rate_text = f"{rate}".replace(".", ",").replace(",0", "")
    total_label = {
        "facture": ["Total TTC", "Net à payer", "Montant TTC", "TOTAL TTC À PAYER", "Total à payer"],
        "avoir": ["Total TTC", "Montant TTC à déduire", "Total avoir TTC", "Montant remboursé TTC"],
        "devis": ["Total TTC", "Montant TTC", "Total TTC du devis", "Net TTC"],
    }[kind]
    lines = [
        f"{_pick(rng, ['Total HT', 'Montant HT', 'Total hors taxes', 'Sous-total HT'])} {_fmt_amount(rng, net)}",
        f"{_pick(rng, ['TVA', 'T.V.A.', 'Montant TVA', 'TVA à'])} {rate_text} % {_fmt_amount(rng, vat)}",
        f"{_pick(rng, total_label)} {_fmt_amount(rng, gross)}",
    ]
    if _chance(rng, 0.15):
        lines = [" ".join(lines)]
    return lines, gross


# --------------------------------------------------------------------------------------------------
# Document layouts, one function per family


def _invoice_classic(rng: random.Random, issuer: _Company, customer: _Company) -> list[str]:
    day = _date(rng)
    number = rng.choice(
        [
            f"FA-{day.year}-{rng.randrange(1, 999):04d}",
            f"F{day.year}{rng.randrange(1, 9999):05d}",
            f"{rng.randrange(1000, 99999)}",
            f"FC{day.strftime('%y%m')}-{rng.randrange(1, 99):02d}",
        ]
    )
    title = rng.choice(
        [
            f"FACTURE N° {number}",
            f"Facture n° {number}",
            f"FACTURE\nN° {number}",
            f"Facture {number}",
            f"FACTURE D'ACOMPTE N° {number}",
            f"Facture N°{number}",
        ]
    )
    due = day + timedelta(days=rng.choice([0, 15, 30, 45, 60]))
    head = _address_block(issuer, rng)
    customer_block = [
        rng.choice(["Client :", "Facturé à :", "Adressé à", "Destinataire", ""])
    ] + _address_block(customer, rng)[:3]
    items, net = _table(rng, _lines_items(rng, issuer.trade, rng.randint(1, 7)))
    totals, _gross = _totals(rng, net, rng.choice([Decimal(20), Decimal(20), Decimal(10), Decimal("5.5")]))
    conditions = []
    if _chance(rng, 0.7):
        conditions.append(
            f"{_pick(rng, ['Date d’échéance', 'Échéance', 'Date limite de paiement', 'À payer avant le', 'Payable le'])} : {_fmt_date(rng, due)}"
        )
    if _chance(rng, 0.6):
        conditions.append(
            _pick(
                rng,
                [
                    "Conditions de paiement : 30 jours fin de mois",
                    "Paiement à réception de facture",
                    "Règlement par virement à 30 jours",
                    "Paiement comptant, pas d'escompte",
                ],
            )
        )
    if _chance(rng, 0.6):
        conditions.append(
            _pick(
                rng,
                [
                    "En cas de retard de paiement, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité forfaitaire pour frais de recouvrement de 40 €.",
                    "Pénalités de retard : 10 % l'an. Indemnité forfaitaire de recouvrement : 40 euros (art. L441-10 C. com.)",
                    "Pas d'escompte pour paiement anticipé. Tout retard entraîne une indemnité forfaitaire de 40 €.",
                ],
            )
        )
    if _chance(rng, 0.3):
        conditions.append(
            f"Votre commande n° {rng.randrange(1000, 99999)} du {_fmt_date(rng, day - timedelta(days=rng.randrange(2, 30)))}"
        )
    blocks = [
        head,
        [
            title,
            f"{_pick(rng, ['Date', 'Date de facture', 'Date d’émission', 'Le'])} : {_fmt_date(rng, day)}",
        ],
        customer_block,
        items,
        totals,
        conditions,
    ]
    if _chance(rng, 0.7):
        blocks.append(_bank_block(issuer, rng))
    blocks.append(_legal_footer(issuer, rng))
    if _chance(rng, 0.2):
        blocks[0], blocks[1] = blocks[1], blocks[0]
    return [line for block in blocks for line in block]


def _invoice_utility(rng: random.Random, customer: _Company) -> tuple[list[str], str]:
    issuer_name, kind, _tag = UTILITIES[rng.randrange(len(UTILITIES))]
    day = _date(rng)
    net = _money(rng.uniform(25, 1800))
    totals, gross = _totals(rng, net, Decimal(20))
    start = day - timedelta(days=rng.choice([30, 60, 61, 92]))
    lines = [
        issuer_name,
        rng.choice(
            ["Votre facture", "FACTURE", "Facture de " + kind, "Votre facture du " + _fmt_date(rng, day)]
        ),
        f"{_pick(rng, ['N° de facture', 'Facture n°', 'Référence facture'])} {rng.randrange(10**8, 10**10)}",
        f"Titulaire du contrat : {customer.name}",
        f"{customer.street} {customer.postcode} {customer.city}",
        f"Période du {_fmt_date(rng, start)} au {_fmt_date(rng, day)}",
    ]
    if kind in ("électricité", "gaz naturel"):
        lines += [
            f"Point de livraison (PDL) : {rng.randrange(10**13, 10**14)}"
            if kind == "électricité"
            else f"PCE : GI{rng.randrange(10**5, 10**6)}",
            f"Consommation : {rng.randrange(150, 9000)} kWh",
            f"Abonnement {rng.choice(['6', '9', '12', '36'])} kVA {_fmt_amount(rng, _money(rng.uniform(10, 80)))}",
            f"Index de compteur : {rng.randrange(10000, 99999)} (relevé)",
            "Contribution tarifaire d'acheminement (CTA)",
        ]
    elif kind == "eau":
        lines += [
            f"Consommation d'eau : {rng.randrange(10, 300)} m3",
            "Redevance pollution domestique",
            "Abonnement annuel",
        ]
    else:
        lines += [
            rng.choice(
                [
                    "Forfait mobile Pro 100 Go",
                    "Offre Box Pro Fibre",
                    "Forfait internet + téléphonie",
                    "Abonnement mensuel Pro",
                ]
            ),
            f"Ligne {rng.choice(['06', '07', '01', '04'])} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
            "Communications hors forfait 0,00 €",
        ]
    lines += totals
    lines.append(
        rng.choice(
            [
                f"Montant à payer : {_fmt_amount(rng, gross)}",
                f"Ce montant sera prélevé le {_fmt_date(rng, day + timedelta(days=15))} sur votre compte",
                f"Date limite de paiement : {_fmt_date(rng, day + timedelta(days=14))}",
            ]
        )
    )
    lines.append(
        rng.choice(
            [
                "Service client : 09 69 32 15 15",
                "Espace client en ligne",
                "Retrouvez votre facture sur votre espace client",
            ]
        )
    )
    return lines, issuer_name


def _invoice_saas_english(rng: random.Random, customer: _Company) -> tuple[list[str], str]:
    vendor = _pick(rng, SAAS)
    day = _date(rng)
    net = _money(rng.uniform(4, 600))
    vat = _money(net * Decimal("0.2"))
    lines = [
        f"{vendor} {rng.choice(['Invoice', 'INVOICE', 'Tax Invoice', 'Facture / Invoice'])}",
        f"Invoice Number: {rng.randrange(10**7, 10**9)}",
        f"Invoice Date: {_fmt_date(rng, day, english=True)}",
        f"Account number: {rng.randrange(10**9, 10**12)}",
        rng.choice(["Bill to:", "Billed to", "Bill to Address:"]),
        customer.name,
        f"{customer.street}, {customer.postcode} {customer.city}, France",
        f"VAT number: {customer.vat}",
        f"This invoice is for the billing period {MONTHS_EN[day.month - 1]} 1 - {MONTHS_EN[day.month - 1]} 28, {day.year}",
        "Description Quantity Amount",
        f"{rng.choice(['Subscription', 'Business plan', 'Cloud services', 'Storage', 'Pro licence'])} 1 {_fmt_amount(rng, net, english=True)}",
        f"Subtotal {_fmt_amount(rng, net, english=True)}",
        f"VAT 20% {_fmt_amount(rng, vat, english=True)}",
        f"Total due {_fmt_amount(rng, net + vat, english=True)}",
        rng.choice(
            [
                "Payment will be charged to your card on file.",
                "Amount due on receipt.",
                "Thank you for your business.",
            ]
        ),
    ]
    return lines, vendor


def _invoice_receipt(rng: random.Random) -> tuple[list[str], str]:
    shop = rng.choice(
        [
            "Station TotalEnergies",
            "Leroy Merlin",
            "Brico Dépôt",
            "Carrefour Market",
            "Restaurant Le Relais",
            "Point P",
            "Castorama",
            "Boulangerie Paul",
            "Cedeo",
            "Rexel",
        ]
    )
    day = _date(rng)
    lines = [
        shop,
        rng.choice(
            [
                "TICKET DE CAISSE",
                "Ticket n° " + str(rng.randrange(1000, 99999)),
                "FACTURETTE",
                "Reçu",
                "REÇU DE PAIEMENT",
                "Note de restaurant",
            ]
        ),
    ]
    total = Decimal(0)
    for _ in range(rng.randint(1, 6)):
        price = _money(rng.uniform(1, 120))
        total += price
        lines.append(
            f"{rng.choice(['GAZOLE', 'SP95-E10', 'VIS INOX', 'CHEVILLES', 'MENU DU JOUR', 'CAFE', 'SILICONE', 'GAINE ICTA', 'PLACO BA13', 'COLLE'])} {_fmt_amount(rng, price, currency=False)}"
        )
    net = _money(total / Decimal("1.2"))
    lines += [
        f"TOTAL {_fmt_amount(rng, total)}",
        f"dont TVA 20% {_fmt_amount(rng, total - net)}",
        rng.choice(["CB SANS CONTACT", "Carte bancaire **** 4242", "Paiement CB EMV", "Espèces"]),
        f"{day.strftime('%d/%m/%Y')} {rng.randrange(7, 20):02d}:{rng.randrange(60):02d} Caisse {rng.randrange(1, 12)}",
        rng.choice(["Merci de votre visite", "Merci de votre achat, à bientôt", "Conservez ce ticket"]),
        f"SIRET {_siret(rng, _siren(rng))}",
    ]
    return lines, shop


def _invoice_foreign(rng: random.Random, customer: _Company) -> tuple[list[str], str]:
    """An invoice from a supplier in another EU country, in its language (a French TPE receives them)."""
    words = rng.choice(
        [
            (
                "RECHNUNG",
                "Rechnungsnummer",
                "Rechnungsdatum",
                "Zwischensumme",
                "MwSt. 19%",
                "Gesamtbetrag",
                "Zahlbar innerhalb von 14 Tagen",
                "GmbH",
            ),
            (
                "FACTURA",
                "Número de factura",
                "Fecha",
                "Base imponible",
                "IVA 21%",
                "Total factura",
                "Vencimiento a 30 días",
                "S.L.",
            ),
            (
                "FACTUUR",
                "Factuurnummer",
                "Factuurdatum",
                "Subtotaal",
                "BTW 21%",
                "Totaal",
                "Betaling binnen 14 dagen",
                "B.V.",
            ),
            (
                "FATTURA",
                "Fattura n.",
                "Data",
                "Imponibile",
                "IVA 22%",
                "Totale fattura",
                "Pagamento a 30 giorni",
                "S.r.l.",
            ),
        ]
    )
    title, number_label, date_label, subtotal, vat_label, total_label, terms, legal = words
    supplier = f"{_pick(rng, SURNAMES)} {rng.choice(['Trading', 'Industrie', 'Technik', 'Logistics', 'Components'])} {legal}"
    net = _money(rng.uniform(50, 6000))
    lines = [
        f"{title}. {supplier}" if _chance(rng, 0.4) else supplier,
        title if _chance(rng, 0.6) else "",
        f"{number_label}: {rng.randrange(10**5, 10**9)}",
        f"{date_label}: {_fmt_date(rng, _date(rng))}",
        customer.name,
        f"{customer.street}, {customer.postcode} {customer.city}, France",
        f"VAT {customer.vat}",
        *[
            f"{label} {quantity} {_fmt_amount(rng, price)}"
            for label, quantity, price in _lines_items(rng, "Informatique", rng.randint(1, 4))
        ],
        f"{subtotal} {_fmt_amount(rng, net)}",
        f"{vat_label} {_fmt_amount(rng, _money(net * Decimal('0.2')))}",
        f"{total_label} {_fmt_amount(rng, _money(net * Decimal('1.2')))}",
        terms,
        f"IBAN {rng.choice(['DE', 'ES', 'NL', 'IT'])}{rng.randrange(10, 99)} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
    ]
    return [line for line in lines if line], supplier


def _rent_receipt(rng: random.Random, customer: _Company) -> tuple[list[str], str]:
    landlord = _person(rng) if _chance(rng, 0.5) else f"SCI {_pick(rng, PLACES)}"
    day = _date(rng)
    rent = _money(rng.uniform(400, 3500))
    charges = _money(rng.uniform(30, 300))
    return [
        rng.choice(["QUITTANCE DE LOYER", "Quittance de loyer", "Avis d'échéance et quittance"]),
        f"Bailleur : {landlord}",
        f"Locataire : {customer.name}",
        f"Adresse du local : {customer.street}, {customer.postcode} {customer.city}",
        f"Période : {MONTHS[day.month - 1]} {day.year}",
        f"Loyer hors charges {_fmt_amount(rng, rent)}",
        f"Provision pour charges {_fmt_amount(rng, charges)}",
        f"Total {_fmt_amount(rng, rent + charges)}",
        f"Reçu la somme de {_fmt_amount(rng, rent + charges)} le {_fmt_date(rng, day)}, dont quittance.",
    ], landlord


def _invoice_fees(rng: random.Random, issuer: _Company, customer: _Company) -> list[str]:
    day = _date(rng)
    profession = rng.choice(
        [
            "Expert-comptable",
            "Avocat au barreau de Lyon",
            "Architecte DPLG",
            "Commissaire aux comptes",
            "Conseil en gestion",
        ]
    )
    net = _money(rng.uniform(150, 4500))
    totals, _gross = _totals(rng, net, Decimal(20))
    return [
        f"{_person(rng)} - {profession}",
        issuer.street,
        f"{issuer.postcode} {issuer.city}",
        rng.choice(
            [
                "NOTE D'HONORAIRES",
                "Note d'honoraires n° " + str(rng.randrange(100, 9999)),
                "FACTURE D'HONORAIRES",
            ]
        ),
        f"Date : {_fmt_date(rng, day)}",
        f"Client : {customer.name}",
        rng.choice(
            [
                "Honoraires pour la tenue comptable du trimestre",
                "Mission d'établissement des comptes annuels",
                "Consultation juridique et rédaction d'actes",
                "Honoraires de conception et suivi de chantier",
            ]
        ),
        *totals,
        f"Règlement à réception. {_pick(rng, ['Pénalités de retard : taux légal x3.', 'Indemnité forfaitaire pour frais de recouvrement : 40 €.'])}",
        f"IBAN {issuer.iban}",
        f"SIRET {issuer.siret}",
    ]


def _invoice(rng: random.Random, issued_by_company: bool) -> tuple[list[str], str]:
    """Any kind of invoice; issued_by_company limits the layouts to those a TPE issues itself."""
    issuer, customer = _company(rng), _company(rng)
    if issued_by_company:
        layout = rng.choices(["classic", "fees"], weights=[0.85, 0.15])[0]
    else:
        layout = rng.choices(
            ["classic", "utility", "saas", "receipt", "fees", "foreign", "rent"],
            weights=[0.45, 0.18, 0.09, 0.1, 0.08, 0.05, 0.05],
        )[0]
    if layout == "classic":
        return _invoice_classic(rng, issuer, customer), issuer.name
    if layout == "fees":
        return _invoice_fees(rng, issuer, customer), issuer.name
    if layout == "utility":
        return _invoice_utility(rng, customer)
    if layout == "saas":
        return _invoice_saas_english(rng, customer)
    if layout == "foreign":
        return _invoice_foreign(rng, customer)
    if layout == "rent":
        return _rent_receipt(rng, customer)
    return _invoice_receipt(rng)


def _credit_note(rng: random.Random) -> list[str]:
    issuer, customer = _company(rng), _company(rng)
    day = _date(rng)
    number = rng.choice(
        [
            f"AV-{day.year}-{rng.randrange(1, 999):04d}",
            f"A{day.year}{rng.randrange(1, 999):04d}",
            f"AV{rng.randrange(100, 9999)}",
            f"NC-{rng.randrange(100, 9999)}",
        ]
    )
    invoice_number = f"FA-{day.year}-{rng.randrange(1, 999):04d}"
    title = rng.choice(
        [
            f"AVOIR N° {number}",
            f"Avoir n° {number}",
            f"FACTURE D'AVOIR {number}",
            f"Note de crédit {number}",
            f"AVOIR\n{number}",
            f"Avoir {number}",
        ]
    )
    items, net = _table(rng, _lines_items(rng, issuer.trade, rng.randint(1, 3)))
    totals, _gross = _totals(
        rng, net, rng.choice([Decimal(20), Decimal(10)]), kind="avoir", negative=_chance(rng, 0.4)
    )
    reason = rng.choice(
        [
            "Motif : retour de marchandise défectueuse",
            "Motif : remise commerciale accordée",
            "Motif : erreur de facturation",
            "Geste commercial suite à votre réclamation",
            "Motif : annulation partielle de la commande",
            "Ristourne annuelle sur chiffre d'affaires",
        ]
    )
    reference = rng.choice(
        [
            f"Avoir sur facture n° {invoice_number} du {_fmt_date(rng, day - timedelta(days=rng.randrange(5, 90)))}",
            f"Facture d'origine : {invoice_number}",
            f"Annule et remplace la facture {invoice_number}",
            f"Référence facture : {invoice_number}",
            f"Facture liée {invoice_number}",
        ]
    )
    settlement = rng.choice(
        [
            "Ce montant sera déduit de votre prochaine facture.",
            "Montant à valoir sur vos prochains achats.",
            "Le montant vous sera remboursé par virement sous 15 jours.",
            "Somme à déduire de votre règlement.",
            "",
        ]
    )
    blocks = [
        _address_block(issuer, rng),
        [title, f"Date : {_fmt_date(rng, day)}"],
        ["Client :"] + _address_block(customer, rng)[:3],
        [reference, reason],
        items,
        totals,
        [settlement],
        _legal_footer(issuer, rng),
    ]
    return [line for block in blocks for line in block if line]


def _quote(rng: random.Random) -> list[str]:
    issuer, customer = _company(rng), _company(rng)
    day = _date(rng)
    number = rng.choice(
        [
            f"D-{day.year}-{rng.randrange(1, 999):03d}",
            f"DEV{rng.randrange(1000, 99999)}",
            f"{day.year}{rng.randrange(1, 999):03d}",
            f"DV-{rng.randrange(100, 9999)}",
        ]
    )
    title = rng.choice(
        [
            f"DEVIS N° {number}",
            f"Devis n° {number}",
            f"PROPOSITION COMMERCIALE {number}",
            f"Devis estimatif {number}",
            f"OFFRE DE PRIX N° {number}",
            f"DEVIS\nRéf. {number}",
        ]
    )
    items, net = _table(rng, _lines_items(rng, issuer.trade, rng.randint(2, 8)))
    totals, _gross = _totals(rng, net, rng.choice([Decimal(20), Decimal(10), Decimal("5.5")]), kind="devis")
    terms = []
    if _chance(rng, 0.8):
        terms.append(
            rng.choice(
                [
                    f"Devis valable {rng.choice([30, 60, 90])} jours",
                    "Durée de validité de l'offre : 1 mois",
                    f"Offre valable jusqu'au {_fmt_date(rng, day + timedelta(days=30))}",
                    "Validité : 3 mois",
                ]
            )
        )
    if _chance(rng, 0.6):
        terms.append(
            rng.choice(
                [
                    "Acompte de 30 % à la commande, solde à la réception des travaux",
                    "Un acompte de 40 % sera demandé à la signature",
                    "Conditions de règlement : 50 % à la commande",
                ]
            )
        )
    if _chance(rng, 0.7):
        terms.append(
            rng.choice(
                [
                    "Bon pour accord, date et signature du client :",
                    "Date et signature précédées de la mention « Bon pour accord »",
                    "Cachet et signature du client",
                    "Devis reçu avant l'exécution des travaux, bon pour accord",
                ]
            )
        )
    if _chance(rng, 0.4):
        terms.append(
            rng.choice(
                [
                    "Délai d'intervention : 3 semaines après acceptation",
                    "Travaux réalisés selon les règles de l'art",
                    "Assurance décennale n° " + str(rng.randrange(10**6, 10**8)),
                ]
            )
        )
    blocks = [
        _address_block(issuer, rng),
        [title, f"{_pick(rng, ['Date', 'Établi le', 'Date du devis'])} : {_fmt_date(rng, day)}"],
        [rng.choice(["Client :", "À l'attention de", "Destinataire"])] + _address_block(customer, rng)[:3],
    ]
    if _chance(rng, 0.5):
        blocks.append(
            [
                f"Objet : {rng.choice(['rénovation salle de bain', 'remplacement chaudière', 'fourniture de matériel', 'installation électrique', 'prestations de nettoyage', 'refonte du site internet'])}"
            ]
        )
    blocks += [items, totals, terms, _legal_footer(issuer, rng)]
    return [line for block in blocks for line in block]


def _delivery_note(rng: random.Random) -> list[str]:
    issuer, customer = _company(rng), _company(rng)
    day = _date(rng)
    number = rng.choice(
        [
            f"BL-{day.year}-{rng.randrange(1, 9999):04d}",
            f"BL{rng.randrange(10000, 999999)}",
            f"{rng.randrange(100000, 9999999)}",
        ]
    )
    title = rng.choice(
        [
            f"BON DE LIVRAISON N° {number}",
            f"Bon de livraison {number}",
            f"BL n° {number}",
            f"BORDEREAU DE LIVRAISON {number}",
            f"Bon de livraison\nN° {number}",
            f"AVIS D'EXPÉDITION {number}",
        ]
    )
    items = _lines_items(rng, issuer.trade, rng.randint(1, 9))
    with_prices = _chance(rng, 0.25)
    header = rng.choice(
        [
            "Référence Désignation Qté commandée Qté livrée",
            "Désignation Quantité Unité",
            "Réf. Article Cde Livré Reliquat",
            "Code Désignation Qté",
        ]
    )
    lines = [header]
    for label, quantity, price in items:
        delivered = quantity if _chance(rng, 0.8) else max(Decimal(0), quantity - 1)
        lines.append(
            f"{rng.randrange(1000, 99999)} {label} {quantity} {delivered}"
            + (f" {_fmt_amount(rng, price)}" if with_prices else "")
        )
    reception = [
        rng.choice(
            [
                f"Date de livraison : {_fmt_date(rng, day)}",
                f"Livré le {_fmt_date(rng, day)}",
                f"Expédié le {_fmt_date(rng, day)}",
            ]
        ),
        rng.choice(
            [
                f"Transporteur : {rng.choice(['Geodis', 'DB Schenker', 'Kuehne+Nagel', 'nos soins', 'Chronopost', 'DPD'])}",
                f"Mode de livraison : {rng.choice(['enlèvement', 'livraison chantier', 'messagerie'])}",
            ]
        ),
        f"{rng.choice(['Nombre de colis', 'Nb colis', 'Colis'])} : {rng.randint(1, 20)} - {rng.choice(['Poids total', 'Poids brut'])} : {rng.randint(2, 900)} kg",
        rng.choice(
            [
                "Réceptionné par (nom, date, signature) :",
                "Signature du destinataire :",
                "Réserves éventuelles à la livraison :",
                "Marchandise reçue en bon état - Signature du client",
            ]
        ),
    ]
    if _chance(rng, 0.5):
        reception.append(
            f"Votre commande n° {rng.randrange(1000, 99999)} du {_fmt_date(rng, day - timedelta(days=rng.randrange(1, 20)))}"
        )
    if _chance(rng, 0.3):
        reception.append("Reliquat à livrer ultérieurement")
    blocks = [
        _address_block(issuer, rng),
        [title],
        [rng.choice(["Adresse de livraison :", "Livré à :", "Destinataire :"])]
        + _address_block(customer, rng)[:3],
        lines,
        reception,
        _legal_footer(issuer, rng)[:1],
    ]
    return [line for block in blocks for line in block]


def _contract(rng: random.Random) -> list[str]:
    first, second = _company(rng), _company(rng)
    title, role_a, role_b, purpose = CONTRACT_KINDS[rng.randrange(len(CONTRACT_KINDS))]
    person = _person(rng)
    start = _date(rng)
    employment = "TRAVAIL" in title
    party_b = (
        f"{person}, demeurant {second.street}, {second.postcode} {second.city}"
        if employment
        else f"{second.name}, {second.street}, {second.postcode} {second.city}, immatriculée au RCS de {second.city} sous le numéro {second.siren}"
    )
    lines = [
        title if _chance(rng, 0.7) else title.capitalize(),
        rng.choice(
            [
                "ENTRE LES SOUSSIGNÉS :",
                "Entre les soussignés",
                "ENTRE :",
                "Entre les parties ci-dessous désignées :",
            ]
        ),
        f"{first.name}, {first.street}, {first.postcode} {first.city}, représentée par {_person(rng)}, gérant,",
        f"ci-après dénommé(e) « {role_a} »,",
        rng.choice(["d'une part,", "D'une part", ""]),
        "ET",
        party_b + ",",
        f"ci-après dénommé(e) « {role_b} »,",
        rng.choice(["d'autre part,", "D'autre part", ""]),
        rng.choice(
            [
                "IL A ÉTÉ CONVENU CE QUI SUIT :",
                "Il a été convenu et arrêté ce qui suit :",
                "Les parties conviennent de ce qui suit :",
                "Ceci exposé, il a été convenu ce qui suit",
            ]
        ),
    ]
    articles = [
        ("Objet", f"Le présent contrat a pour objet {purpose} {first.trade.lower()}."),
        (
            "Durée",
            rng.choice(
                [
                    f"Le présent contrat est conclu pour une durée de {rng.choice(['un an', 'trois ans', 'neuf ans', '12 mois'])} à compter du {_fmt_date(rng, start)}. Il se renouvellera par tacite reconduction.",
                    f"Le contrat prend effet le {_fmt_date(rng, start)} pour une durée indéterminée.",
                    "Le contrat est conclu pour une durée déterminée de six mois.",
                ]
            ),
        ),
        (
            "Prix et modalités de paiement",
            f"En contrepartie, {role_b} versera la somme de {_fmt_amount(rng, _money(rng.uniform(200, 8000)))} {rng.choice(['par mois', 'HT par an', 'payable trimestriellement'])}.",
        ),
        (
            "Obligations des parties",
            f"{role_a.capitalize()} s'engage à exécuter ses obligations avec diligence. {role_b.capitalize()} s'engage à fournir toutes les informations nécessaires.",
        ),
        (
            "Résiliation",
            rng.choice(
                [
                    "Chaque partie pourra résilier le contrat par lettre recommandée avec accusé de réception moyennant un préavis de trois mois.",
                    "En cas de manquement grave, le contrat pourra être résilié de plein droit un mois après une mise en demeure restée sans effet.",
                ]
            ),
        ),
        (
            "Confidentialité",
            "Les parties s'engagent à garder confidentielles les informations échangées pendant la durée du contrat et deux ans après son terme.",
        ),
        (
            "Loi applicable et juridiction",
            f"Le présent contrat est soumis au droit français. Tout litige relèvera du tribunal de commerce de {first.city}.",
        ),
    ]
    if employment:
        articles[2] = (
            "Rémunération",
            f"Le Salarié percevra une rémunération brute mensuelle de {_fmt_amount(rng, _money(rng.uniform(1800, 4200)))} pour 35 heures hebdomadaires.",
        )
        articles.insert(
            2,
            (
                "Période d'essai",
                "Le présent contrat ne deviendra définitif qu'à l'issue d'une période d'essai de deux mois.",
            ),
        )
        articles.insert(
            3,
            (
                "Fonctions",
                f"Le Salarié exercera les fonctions de {_pick(rng, JOBS)}, statut {rng.choice(['employé', 'ouvrier', 'agent de maîtrise', 'cadre'])}, selon la convention collective {_pick(rng, CONVENTIONS)}.",
            ),
        )
    count = rng.randint(3, len(articles))
    chosen = articles[:count]
    for index, (heading, body) in enumerate(chosen, start=1):
        number = rng.choice(
            [
                str(index),
                str(index),
                "premier" if index == 1 else str(index),
                "1er" if index == 1 else str(index),
            ]
        )
        lines.append(
            rng.choice(
                [
                    f"Article {number} - {heading}",
                    f"ARTICLE {number} : {heading.upper()}",
                    f"Art. {number} – {heading}",
                    f"{index}. {heading}",
                ]
            )
        )
        lines.append(body)
    lines += [
        rng.choice(
            [
                f"Fait à {first.city}, le {_fmt_date(rng, start)}, en deux exemplaires originaux.",
                f"Fait à {first.city} le {_fmt_date(rng, start)}",
                f"Fait en 2 exemplaires à {first.city}, le {_fmt_date(rng, start)}",
            ]
        ),
        rng.choice(
            [
                f"Pour {role_a} Pour {role_b}",
                f"{role_a.capitalize()} {role_b.capitalize()}",
                "Signature des parties",
            ]
        ),
        rng.choice(["(signature précédée de la mention « Lu et approuvé »)", "Lu et approuvé", ""]),
        f"Paraphe : ____ Page {rng.randint(1, 4)}/{rng.randint(4, 8)}" if _chance(rng, 0.3) else "",
    ]
    return [line for line in lines if line]


def _bank_statement(rng: random.Random) -> list[str]:
    holder = _company(rng)
    bank, bic, _code = BANKS[rng.randrange(len(BANKS))]
    end = _date(rng)
    start = end.replace(day=1)
    balance = _money(rng.uniform(-3000, 40000))
    lines = [
        bank,
        rng.choice(
            [
                "RELEVÉ DE COMPTE",
                "Relevé de compte courant professionnel",
                "EXTRAIT DE COMPTE",
                f"Relevé n° {rng.randint(1, 12)} - Compte courant",
                "Relevé de vos opérations",
                "RELEVE DE COMPTE - COMPTE COURANT",
            ]
        ),
        f"Période du {_fmt_date(rng, start)} au {_fmt_date(rng, end)}"
        if _chance(rng, 0.7)
        else f"Arrêté au {_fmt_date(rng, end)}",
        holder.name,
        f"{holder.street} {holder.postcode} {holder.city}",
        f"N° de compte {rng.randrange(10**10, 10**11)} IBAN {_group(holder.iban)} BIC {bic}",
        rng.choice(
            [
                "Date Libellé Valeur Débit Crédit",
                "Date opé. Date valeur Libellé des opérations Débit (€) Crédit (€)",
                "DATE LIBELLE DEBIT CREDIT",
                "Date Nature de l'opération Montant",
            ]
        ),
        f"{rng.choice(['Solde créditeur au', 'Ancien solde au', 'SOLDE PRECEDENT AU', 'Solde au'])} {start.strftime('%d/%m/%Y')} {_fmt_amount(rng, balance, currency=False)}",
    ]
    templates = [
        lambda: (
            f"PRLV SEPA {rng.choice(['EDF', 'URSSAF', 'ORANGE', 'DGFIP', 'AXA FRANCE', 'ENGIE', 'FREE PRO', 'MAAF ASSURANCES', 'SFR'])} {rng.choice(['ECH', 'REF', 'MDT'])} {rng.randrange(10**5, 10**8)}"
        ),
        lambda: (
            f"VIR SEPA RECU /DE {_pick(rng, SURNAMES).upper()} {rng.choice(['SARL', 'SAS', ''])} /MOTIF FA-{end.year}-{rng.randrange(1, 999):04d}"
        ),
        lambda: (
            f"VIR SEPA EMIS /A {_pick(rng, SURNAMES).upper()} {rng.choice(['LOYER', 'FACTURE', 'SALAIRE', 'ACOMPTE'])}"
        ),
        lambda: (
            f"CB {rng.choice(['TOTAL ACCESS', 'LEROY MERLIN', 'AMAZON', 'CARREFOUR', 'POINT P', 'SNCF', 'AUTOROUTE'])} {rng.randint(1, 28):02d}/{end.month:02d}"
        ),
        lambda: (
            f"PAIEMENT CARTE {rng.randrange(1000, 9999)} {rng.choice(['STATION', 'RESTAURANT', 'BRICO'])}"
        ),
        lambda: f"REMISE CHEQUES N° {rng.randrange(1000000, 9999999)}",
        lambda: f"CHEQUE N° {rng.randrange(1000000, 9999999)}",
        lambda: rng.choice(
            [
                "FRAIS DE TENUE DE COMPTE",
                "COTISATION OFFRE PRO",
                "COMMISSION D'INTERVENTION",
                "INTERETS DEBITEURS",
                "FRAIS BANCAIRES",
            ]
        ),
        lambda: (
            f"RETRAIT DAB {rng.choice(['LYON', 'PARIS', 'NANTES'])} {rng.randint(1, 28):02d}/{end.month:02d}"
        ),
        lambda: f"VIR INST RECU {_pick(rng, SURNAMES).upper()}",
    ]
    debits = credits = Decimal(0)
    for _ in range(rng.randint(4, 22)):
        label = rng.choice(templates)()
        amount = _money(rng.uniform(3, 4000))
        day = start + timedelta(days=rng.randrange(max(1, (end - start).days + 1)))
        value_day = day.strftime("%d/%m") if _chance(rng, 0.5) else day.strftime("%d/%m/%Y")
        if label.startswith(("VIR SEPA RECU", "REMISE", "VIR INST RECU")):
            credits += amount
            lines.append(f"{value_day} {label} {value_day} {_fmt_amount(rng, amount, currency=False)}")
        else:
            debits += amount
            lines.append(f"{value_day} {label} {_fmt_amount(rng, amount, currency=False)}")
    new_balance = balance + credits - debits
    lines += [
        f"{rng.choice(['Total des opérations', 'TOTAL DES MOUVEMENTS', 'Totaux'])} {_fmt_amount(rng, debits, currency=False)} {_fmt_amount(rng, credits, currency=False)}",
        f"{rng.choice(['Nouveau solde créditeur au', 'NOUVEAU SOLDE AU', 'Solde débiteur au' if new_balance < 0 else 'Solde créditeur au', 'Solde final au'])} {end.strftime('%d/%m/%Y')} {_fmt_amount(rng, new_balance, currency=False)}",
        rng.choice(
            [
                f"{bank} - SA au capital de {rng.randrange(10**8, 10**10)} € - RCS Paris",
                "Garantie des dépôts : Fonds de Garantie des Dépôts et de Résolution",
                "Votre conseiller : " + _person(rng),
                f"Page {rng.randint(1, 3)}/{rng.randint(3, 5)}",
            ]
        ),
    ]
    return lines


def _payslip(rng: random.Random) -> list[str]:
    employer = _company(rng)
    employee = _person(rng)
    month_start = _date(rng).replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    gross = _money(rng.uniform(1766, 5200))
    contributions = _money(gross * Decimal(str(rng.uniform(0.21, 0.25))))
    net = gross - contributions
    tax = _money(net * Decimal(str(rng.uniform(0, 0.08))))
    lines = [
        rng.choice(
            [
                "BULLETIN DE PAIE",
                "Bulletin de salaire",
                "BULLETIN DE SALAIRE",
                "Fiche de paie",
                "Bulletin de paie - " + MONTHS[month_start.month - 1] + f" {month_start.year}",
            ]
        ),
        f"Période du {_fmt_date(rng, month_start)} au {_fmt_date(rng, month_end)}"
        if _chance(rng, 0.7)
        else f"Période : {MONTHS[month_start.month - 1]} {month_start.year}",
        f"Employeur : {employer.name}" if _chance(rng, 0.5) else employer.name,
        f"{employer.street} {employer.postcode} {employer.city}",
        f"SIRET : {employer.siret} - Code NAF : {rng.randrange(10, 99)}.{rng.randrange(10, 99)}{_pick(rng, list('ABZ'))}",
        f"URSSAF de {employer.city}" if _chance(rng, 0.4) else "",
        f"Convention collective : {_pick(rng, CONVENTIONS)}" if _chance(rng, 0.7) else "",
        f"Salarié : {employee}" if _chance(rng, 0.5) else employee,
        f"Matricule : {rng.randrange(100, 9999)}" if _chance(rng, 0.6) else "",
        f"N° de Sécurité sociale : {rng.choice([1, 2])} {rng.randrange(50, 99)} {rng.randrange(1, 12):02d} {rng.randrange(10, 95)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}"
        if _chance(rng, 0.6)
        else "",
        f"Emploi : {_pick(rng, JOBS)}",
        f"Coefficient : {rng.choice([150, 185, 210, 230, 250, 300])} - Date d'entrée : {_fmt_date(rng, _date(rng, date(2005, 1, 1), month_start))}"
        if _chance(rng, 0.6)
        else "",
        rng.choice(
            [
                "Éléments de paie Base Taux Montant",
                "Rubrique Base Taux salarial Part salariale Part patronale",
                "Libellé Nombre Taux À payer À déduire",
            ]
        ),
        f"Salaire de base 151,67 {_fmt_amount(rng, _money(gross / Decimal('151.67')), currency=False)} {_fmt_amount(rng, gross, currency=False)}",
    ]
    if _chance(rng, 0.4):
        lines.append(f"Heures supplémentaires 25 % {rng.randint(1, 17)},00")
    lines.append(
        f"{rng.choice(['Salaire brut', 'SALAIRE BRUT', 'Total brut', 'Rémunération brute'])} {_fmt_amount(rng, gross, currency=False)}"
    )
    contribution_lines = [
        "Santé - Sécurité sociale - Maladie Maternité Invalidité Décès",
        "Complémentaire santé (mutuelle)",
        "Accidents du travail - maladies professionnelles",
        "Retraite - Sécurité sociale plafonnée",
        "Retraite complémentaire AGIRC-ARRCO Tranche 1",
        "Prévoyance non cadre",
        "Famille - allocations familiales",
        "Assurance chômage",
        "CSG déductible de l'impôt sur le revenu",
        "CSG/CRDS non déductible de l'impôt sur le revenu",
        "Autres contributions dues par l'employeur",
    ]
    rng.shuffle(contribution_lines)
    for label in contribution_lines[: rng.randint(3, len(contribution_lines))]:
        lines.append(
            f"{label} {_fmt_amount(rng, gross, currency=False)} {rng.uniform(0.1, 7):.2f} {_fmt_amount(rng, _money(rng.uniform(5, 250)), currency=False)}"
        )
    lines += [
        f"{rng.choice(['Total des cotisations et contributions', 'Total cotisations salariales', 'TOTAL RETENUES'])} {_fmt_amount(rng, contributions, currency=False)}",
        f"Net social {_fmt_amount(rng, net, currency=False)}" if _chance(rng, 0.6) else "",
        f"{rng.choice(['Net à payer avant impôt sur le revenu', 'Net avant impôt', 'NET A PAYER AVANT IMPOT'])} {_fmt_amount(rng, net)}",
        f"Impôt sur le revenu prélevé à la source - Taux personnalisé {rng.uniform(0, 9):.1f} % {_fmt_amount(rng, tax)}"
        if _chance(rng, 0.7)
        else "",
        f"{rng.choice(['NET A PAYER', 'Net payé', 'Net à payer au salarié', 'Net payé en euros'])} {_fmt_amount(rng, net - tax)}",
        f"Net imposable {_fmt_amount(rng, _money(net * Decimal('1.03')))}" if _chance(rng, 0.5) else "",
        f"Congés payés acquis {rng.randint(0, 30)},00 pris {rng.randint(0, 10)},00"
        if _chance(rng, 0.6)
        else "",
        f"Paiement le {_fmt_date(rng, month_end)} par virement" if _chance(rng, 0.5) else "",
        rng.choice(
            [
                "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de paie sans limitation de durée.",
                "À conserver sans limitation de durée",
                "",
            ]
        ),
    ]
    return [line for line in lines if line]


def _admin_letter(rng: random.Random) -> tuple[list[str], str]:
    body_name, domain, topic = ADMIN_BODIES[rng.randrange(len(ADMIN_BODIES))]
    company = _company(rng)
    day = _date(rng)
    subjects = {
        "cotisations sociales": [
            "Mise en demeure - cotisations et contributions sociales impayées",
            "Avis de contrôle",
            "Échéancier de paiement de vos cotisations",
            "Attestation de vigilance",
            "Majorations de retard",
        ],
        "impôts": [
            "Avis d'impôt - Cotisation foncière des entreprises (CFE)",
            "Relance - déclaration de TVA non déposée",
            "Avis de mise en recouvrement",
            "Avis de vérification de comptabilité",
            "Remboursement de crédit de TVA",
        ],
        "santé": ["Indemnités journalières de votre salarié", "Déclaration d'accident du travail"],
        "emploi": ["Attestation employeur", "Aide à l'embauche - notification de décision"],
        "sirene": ["Avis de situation au répertoire SIRENE", "Modification de votre établissement"],
        "greffe": ["Dépôt des comptes annuels", "Extrait Kbis - inscription modificative"],
        "mairie": [
            "Autorisation d'occupation du domaine public",
            "Déclaration préalable de travaux - décision",
        ],
        "prefecture": ["Récépissé de déclaration", "Notification de décision"],
        "travail": [
            "Demande de documents - contrôle de l'inspection du travail",
            "Rappel de la réglementation",
        ],
        "retraite": ["Relevé de carrière de votre salarié", "Déclaration sociale nominative - anomalie"],
    }[topic]
    amount = _fmt_amount(rng, _money(rng.uniform(80, 12000)))
    paragraphs = {
        "cotisations sociales": [
            f"Sauf erreur de notre part, vous restez redevable de la somme de {amount} au titre des cotisations de la période de {MONTHS[day.month - 1]} {day.year}.",
            "À défaut de règlement dans un délai d'un mois, des majorations de retard seront appliquées et le recouvrement forcé sera engagé.",
            "Vous pouvez régler sur votre espace en ligne urssaf.fr ou demander un échéancier.",
        ],
        "impôts": [
            f"Le montant de votre cotisation s'élève à {amount}, à payer au plus tard le {_fmt_date(rng, day + timedelta(days=45))}.",
            "Vous pouvez consulter votre avis et payer en ligne sur impots.gouv.fr, rubrique espace professionnel.",
            "Vous disposez d'un délai de 30 jours pour présenter vos observations ; voies et délais de recours au verso.",
        ],
        "santé": [
            "Nous vous informons que les indemnités journalières ont été versées à votre salarié.",
            "Pour toute question, contactez l'assurance maladie au 3679.",
        ],
        "emploi": [
            "Nous avons le plaisir de vous informer que votre demande a été acceptée.",
            "Les versements interviendront trimestriellement.",
        ],
        "sirene": [
            f"Votre entreprise est enregistrée au répertoire SIRENE sous le numéro {company.siren}.",
            "Le code APE attribué correspond à votre activité principale exercée.",
        ],
        "greffe": [
            "Nous accusons réception du dépôt de vos comptes annuels.",
            "Le dépôt a été enregistré et publié au registre du commerce et des sociétés.",
        ],
        "mairie": [
            "Votre demande a été examinée par nos services.",
            "L'autorisation est accordée sous réserve du respect des prescriptions jointes.",
        ],
        "prefecture": [
            "Votre dossier a été enregistré.",
            "Cette décision peut faire l'objet d'un recours dans un délai de deux mois.",
        ],
        "travail": [
            "Dans le cadre de notre mission de contrôle, nous vous demandons de nous transmettre les documents suivants sous quinze jours.",
            "Registre unique du personnel, contrats de travail, relevés d'heures.",
        ],
        "retraite": [
            "Une anomalie a été détectée dans votre déclaration sociale nominative.",
            "Merci de procéder à la correction dans votre prochaine DSN.",
        ],
    }[topic]
    lines = [
        rng.choice(["RÉPUBLIQUE FRANÇAISE", "Liberté Égalité Fraternité", ""]),
        body_name,
        rng.choice(
            [
                f"Affaire suivie par : {_person(rng)}",
                f"Dossier suivi par {_person(rng)}",
                f"Votre interlocuteur : {_person(rng)}",
            ]
        ),
        rng.choice(
            [
                f"Références à rappeler : {rng.randrange(10**9, 10**11)}",
                f"N° de compte cotisant : {rng.randrange(10**11, 10**13)}",
                f"Numéro fiscal : {rng.randrange(10**12, 10**13)}",
                f"SIRET : {company.siret}",
            ]
        ),
        company.name,
        company.street,
        f"{company.postcode} {company.city}",
        f"{rng.choice([company.city, 'Lyon', 'Paris', 'Montreuil'])}, le {_fmt_date(rng, day)}",
        f"Objet : {_pick(rng, subjects)}",
        rng.choice(["Madame, Monsieur,", "Madame, Monsieur le gérant,", "Monsieur,", "Madame,"]),
        *paragraphs,
        rng.choice(
            [
                "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
                "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
                "Je vous prie de recevoir mes salutations distinguées.",
                "Cordialement,",
            ]
        ),
        rng.choice(
            [
                f"Le directeur, {_person(rng)}",
                "Pour le directeur et par délégation",
                "L'inspecteur des finances publiques",
                "",
            ]
        ),
    ]
    sender = f"{rng.choice(['ne-pas-repondre', 'contact', 'sie.lyon', 'recouvrement', 'service'])}@{domain}"
    return [line for line in lines if line], sender


def _cv(rng: random.Random) -> list[str]:
    name = _person(rng)
    job = _pick(rng, JOBS)
    year = rng.randint(2010, 2025)
    lines = [
        rng.choice(["CURRICULUM VITAE", "Curriculum Vitae", "CV", ""]),
        name.upper() if _chance(rng, 0.5) else name,
        job if _chance(rng, 0.6) else f"Candidature au poste de {job.lower()}",
        f"{rng.randint(20, 58)} ans" if _chance(rng, 0.5) else "",
        f"{rng.randrange(1, 99)} {_pick(rng, STREETS)} {_pick(rng, STREET_NAMES)} {CITIES[rng.randrange(len(CITIES))][1]}",
        f"{rng.choice(['Mobile', 'Tél', 'Téléphone'])} : 06 {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        f"{name.split()[0].lower()}.{name.split()[-1].lower()}@{rng.choice(['gmail.com', 'orange.fr', 'free.fr', 'laposte.net'])}",
        rng.choice(["Permis B - véhiculé", "Permis B", ""]),
        rng.choice(["PROFIL", "Profil", "À propos", ""]),
        rng.choice(
            [
                "Professionnel rigoureux et autonome, 10 ans d'expérience.",
                "Motivée, sens du contact et du travail en équipe.",
                "",
            ]
        ),
        rng.choice(
            [
                "EXPÉRIENCES PROFESSIONNELLES",
                "Expérience professionnelle",
                "Parcours professionnel",
                "EXPÉRIENCE",
            ]
        ),
    ]
    for position in range(rng.randint(1, 4)):
        end = year
        year = end - rng.randint(1, 6)
        end_text = rng.choice([str(end), "aujourd'hui", "présent"]) if position == 0 else str(end)
        lines.append(
            f"{year} - {end_text} {_pick(rng, JOBS)} - {_company(rng).name}, {CITIES[rng.randrange(len(CITIES))][1]}"
        )
        lines.append(
            rng.choice(
                [
                    "Dépannage et installation chez les particuliers",
                    "Gestion des plannings et de la facturation",
                    "Encadrement d'une équipe de 4 personnes",
                    "Relation clientèle et suivi des commandes",
                    "Mise en service et maintenance des équipements",
                ]
            )
        )
    lines.append(rng.choice(["FORMATION", "Formation", "Diplômes", "FORMATIONS ET DIPLÔMES"]))
    for _ in range(rng.randint(1, 3)):
        lines.append(
            f"{year - rng.randint(1, 5)} {_pick(rng, SCHOOLS)} {rng.choice(['électrotechnique', 'gestion', 'comptabilité', 'plomberie', 'commerce', 'informatique', 'génie climatique'])} - {rng.choice(['Lycée professionnel', 'IUT', 'Université', 'AFPA', 'CFA du bâtiment'])} {CITIES[rng.randrange(len(CITIES))][1]}"
        )
    lines += [
        rng.choice(["COMPÉTENCES", "Compétences", "Savoir-faire"]),
        rng.choice(
            [
                "Habilitation électrique B1V BR",
                "Pack Office, logiciel de paie",
                "Lecture de plans, soudure",
                "CACES R489",
                "Attestation de capacité fluides frigorigènes",
            ]
        ),
        rng.choice(["LANGUES", "Langues"]),
        rng.choice(
            ["Anglais courant", "Anglais : niveau B2", "Espagnol notions", "Arabe bilingue, anglais lu"]
        ),
        rng.choice(["CENTRES D'INTÉRÊT", "Centres d'intérêt", "Loisirs", ""]),
        rng.choice(["Football, randonnée", "Bénévolat associatif, cuisine", "Musique, photographie", ""]),
        rng.choice(["Références sur demande", ""]),
    ]
    return [line for line in lines if line]


def _other(rng: random.Random) -> list[str]:
    company = _company(rng)
    day = _date(rng)
    kind = rng.randrange(8)
    if kind == 0:
        return [
            rng.choice(["COMPTE RENDU DE RÉUNION", "Compte-rendu réunion de chantier", "Compte rendu"]),
            f"Date : {_fmt_date(rng, day)} - Lieu : {company.city}",
            f"Présents : {_person(rng)}, {_person(rng)}, {_person(rng)}",
            "Ordre du jour :",
            rng.choice(["1. Avancement des travaux", "1. Point sur le planning"]),
            rng.choice(["2. Points divers", "2. Sécurité sur le chantier"]),
            "Décisions : la livraison des menuiseries est reportée d'une semaine.",
            f"Prochaine réunion le {_fmt_date(rng, day + timedelta(days=7))}",
        ]
    if kind == 1:
        return [
            rng.choice(["FICHE TECHNIQUE", "Fiche produit", "Caractéristiques techniques"]),
            rng.choice(
                [
                    "Pompe à chaleur air/eau 8 kW",
                    "Perceuse visseuse 18 V",
                    "Mitigeur thermostatique",
                    "Panneau isolant PIR 100 mm",
                ]
            ),
            f"Dimensions : {rng.randint(10, 120)} x {rng.randint(10, 120)} x {rng.randint(10, 120)} cm",
            f"Poids : {rng.randint(1, 90)} kg",
            f"Puissance : {rng.randint(500, 9000)} W - Tension 230 V",
            "Conforme aux normes CE. Garantie 2 ans.",
            "Conditions d'installation : se référer à la notice de montage.",
        ]
    if kind == 2:
        return [
            company.name,
            rng.choice(["BON DE COMMANDE", "Bon de commande n° " + str(rng.randrange(1000, 9999))]),
            f"Date de commande : {_fmt_date(rng, day)}",
            f"Fournisseur : {_company(rng).name}",
            *[
                f"{label} {quantity}"
                for label, quantity, _price in _lines_items(rng, company.trade, rng.randint(1, 5))
            ],
            "Merci de nous confirmer le délai de livraison.",
            f"Signature du responsable : {_person(rng)}",
        ]
    if kind == 3:
        return [
            rng.choice(
                ["ATTESTATION D'ASSURANCE", "Attestation d'assurance responsabilité civile professionnelle"]
            ),
            rng.choice(["AXA France IARD", "MAAF Pro", "MMA Entreprise", "Groupama", "Allianz"]),
            f"Nous soussignés certifions que {company.name} est titulaire d'un contrat n° {rng.randrange(10**6, 10**9)}",
            f"garantissant sa responsabilité civile pour la période du {_fmt_date(rng, day)} au {_fmt_date(rng, day + timedelta(days=365))}.",
            "La présente attestation ne peut engager l'assureur au-delà des conditions du contrat.",
            f"Fait à Paris, le {_fmt_date(rng, day)}",
        ]
    if kind == 4:
        return [
            rng.choice(["NEWSLETTER", "Les actualités du mois", "Offre spéciale professionnels"]),
            f"{_company(rng).name} vous présente ses nouveautés",
            rng.choice(
                [
                    "-20 % sur toute la gamme outillage jusqu'au " + _fmt_date(rng, day),
                    "Découvrez notre nouveau catalogue",
                    "Invitation au salon Batimat",
                ]
            ),
            "Profitez-en vite en magasin ou sur notre site.",
            "Vous recevez ce message car vous êtes client. Se désabonner.",
        ]
    if kind == 5:
        return [
            rng.choice(["NOTE DE SERVICE", "Note interne", "Procédure interne"]),
            f"De : {_person(rng)} - À : tout le personnel",
            f"Date : {_fmt_date(rng, day)}",
            rng.choice(
                [
                    "Fermeture de l'atelier pendant les congés d'été.",
                    "Rappel des consignes de sécurité sur les chantiers.",
                    "Nouvelle procédure pour les notes de frais.",
                ]
            ),
            rng.choice(
                [
                    "Merci de respecter ces consignes.",
                    "Chaque responsable d'équipe veillera à l'application.",
                    "",
                ]
            ),
        ]
    if kind == 6:
        return [
            rng.choice(
                [
                    "PROCÈS-VERBAL DE L'ASSEMBLÉE GÉNÉRALE ORDINAIRE",
                    "Procès-verbal des décisions de l'associé unique",
                ]
            ),
            company.name,
            f"L'an {day.year}, le {_fmt_date(rng, day)}, les associés se sont réunis au siège social.",
            "Première résolution : approbation des comptes de l'exercice.",
            "Deuxième résolution : affectation du résultat.",
            "Cette résolution est adoptée à l'unanimité.",
        ]
    return [
        rng.choice(["Catalogue tarifs professionnels", "Liste de prix 2025", "Tarifs"]),
        _company(rng).name,
        *[
            f"{label} {_fmt_amount(rng, price)}"
            for label, _qty, price in _lines_items(rng, company.trade, rng.randint(3, 8))
        ],
        "Prix indicatifs, susceptibles de modification.",
    ]


# --------------------------------------------------------------------------------------------------
# Noise: what reading a real document does to its text


_OCR_CONFUSIONS = {
    "o": "0",
    "0": "o",
    "l": "1",
    "1": "l",
    "i": "l",
    "e": "c",
    "a": "o",
    "s": "5",
    "b": "h",
    "é": "e",
    "è": "e",
    "à": "a",
    "m": "rn",
    ",": ".",
    "5": "s",
}


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _ocr_noise(line: str, rng: random.Random, rate: float) -> str:
    if rate <= 0:
        return line
    chars = []
    for char in line:
        draw = rng.random()
        if draw < rate and char in _OCR_CONFUSIONS:
            chars.append(_OCR_CONFUSIONS[char])
        elif draw < rate * 1.3 and char.isalpha():
            continue
        elif draw < rate * 1.5 and char == " ":
            chars.append("")
        else:
            chars.append(char)
    return "".join(chars)


def apply_noise(lines: list[str], rng: random.Random, level: float) -> str:
    """Turn clean lines into text as a reader returns it; ``level`` 0 (clean) to 1 (a bad scan)."""
    out = [line for line in "\n".join(lines).split("\n") if line.strip()]
    if len(out) > 6 and _chance(rng, 0.12):
        # A fragment: first page only, a cropped photo, a page of a longer document.
        size = max(3, int(len(out) * rng.uniform(0.35, 0.7)))
        start = 0 if _chance(rng, 0.5) else rng.randrange(0, len(out) - size + 1)
        out = out[start : start + size]
    if level > 0:
        out = [line for line in out if not _chance(rng, 0.08 * level)] or out[:1]
        merged: list[str] = []
        for line in out:
            if merged and _chance(rng, 0.15 * level):
                merged[-1] = merged[-1] + "   " + line
            else:
                merged.append(line)
        out = merged
        if _chance(rng, 0.25 * level):
            cut = rng.randrange(1, max(2, len(out)))
            out = out[cut:] + out[:cut] if _chance(rng, 0.3) else out
        if _chance(rng, 0.3 * level):
            out = [line.upper() if _chance(rng, 0.5) else line for line in out]
        rate = 0.03 * level if _chance(rng, 0.5) else 0.0
        out = [_ocr_noise(line, rng, rate) for line in out]
        if _chance(rng, 0.4 * level):
            out = [_strip_accents(line) for line in out]
    if _chance(rng, 0.2):
        out.append(f"Page 1/{rng.randint(1, 3)}")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# Public API


def _meta_for(rng: random.Random, label: str, filename_hint: str, sender: str = "") -> DocumentMeta:
    """Metadata as the app would pass them: often partial, sometimes absent."""
    if label == FACTURE_CLIENT:
        issuer = rng.choices([True, None], weights=[0.85, 0.15])[0]
    elif label == FACTURE_FOURNISSEUR:
        issuer = rng.choices([False, None], weights=[0.55, 0.45])[0]
    elif label in (AVOIR, DEVIS):
        issuer = rng.choice([True, False, None])
    else:
        issuer = None
    filename = ""
    if _chance(rng, 0.35):
        filename = (
            f"{filename_hint}_{rng.randrange(1, 9999)}.pdf"
            if filename_hint and _chance(rng, 0.6)
            else rng.choice(
                [
                    "scan_001.pdf",
                    "document.pdf",
                    f"IMG_{rng.randrange(1000, 9999)}.jpg",
                    f"{rng.randrange(10**6, 10**8)}.pdf",
                ]
            )
        )
    if not sender and _chance(rng, 0.3):
        sender = rng.choice(
            ["compta@client-pro.fr", "noreply@fournisseur.com", "contact@artisan.fr", "factures@service.fr"]
        )
    return DocumentMeta(filename=filename, sender_email=sender, issuer_is_company=issuer)


_FILENAME_HINTS = {
    FACTURE_FOURNISSEUR: "facture",
    FACTURE_CLIENT: "facture",
    AVOIR: "avoir",
    DEVIS: "devis",
    BON_DE_LIVRAISON: "BL",
    CONTRAT: "contrat",
    RELEVE_BANCAIRE: "releve",
    BULLETIN_DE_PAIE: "bulletin_paie",
    COURRIER_ADMINISTRATIF: "courrier",
    CV: "CV",
    AUTRE: "",
}


def _lines_for(label: str, rng: random.Random) -> tuple[list[str], str]:
    """Clean lines of one document of this type, and the sender e-mail when the layout has one."""
    builders: dict[str, Callable[[random.Random], list[str]]] = {
        AVOIR: _credit_note,
        DEVIS: _quote,
        BON_DE_LIVRAISON: _delivery_note,
        CONTRAT: _contract,
        RELEVE_BANCAIRE: _bank_statement,
        BULLETIN_DE_PAIE: _payslip,
        CV: _cv,
        AUTRE: _other,
    }
    if label == FACTURE_CLIENT:
        return _invoice(rng, issued_by_company=True)[0], ""
    if label == FACTURE_FOURNISSEUR:
        return _invoice(rng, issued_by_company=False)[0], ""
    if label == COURRIER_ADMINISTRATIF:
        lines, sender = _admin_letter(rng)
        return lines, sender if _chance(rng, 0.4) else ""
    return builders[label](rng), ""


def generate_document(label: str, rng: random.Random, noise: float = 0.35) -> SyntheticDocument:
    """One synthetic document of the given type."""
    if label not in DOC_TYPES:
        raise ClassifyError(f"Type de document inconnu pour le générateur : « {label} ».")
    lines, sender = _lines_for(label, rng)
    level = noise * rng.random() * 2 if noise > 0 else 0.0
    text = apply_noise(lines, rng, min(1.0, level))
    return SyntheticDocument(
        text=text, label=label, meta=_meta_for(rng, label, _FILENAME_HINTS[label], sender)
    )


def generate_corpus(
    n_per_class: int = 120,
    *,
    random_state: int = 0,
    noise: float = 0.35,
    labels: Sequence[str] = DOC_TYPES,
) -> list[SyntheticDocument]:
    """A shuffled corpus of ``n_per_class`` documents of each type; same ``random_state``, same corpus.

    Customer invoices are generated at one third of the others' rate when the issuer is unknown (see the
    module docstring); the count per type is still ``n_per_class``.
    """
    if n_per_class < 1:
        raise ClassifyError("Il faut au moins un document par type pour générer un corpus.")
    if not 0 <= noise <= 1:
        raise ClassifyError("Le niveau de bruit doit être compris entre 0 et 1.")
    rng = random.Random(random_state)
    corpus = [generate_document(label, rng, noise) for label in labels for _ in range(n_per_class)]
    rng.shuffle(corpus)
    return corpus
