"""The demo company "Menuiserie Martin" (the guide's ch. 1.4 example): 8 people, 24 months of activity.

Pure Python and deterministic: the same seed and the same `today` always give the same data, so tests,
benchmarks and screenshots are repeatable. Nothing here touches the database: apps store the parts they own
through demo loaders registered with the core (see etabli.core.demo.loader).

What it simulates, in the guide's words: 25–30 invoices a week to handle (customer and supplier), customers
who are loyal, late payers or new, payment on time about 68 % of the time, an average delay well beyond the
30 days of the terms, 24 months of bank lines consistent with invoices, salaries, rent and suppliers, a
seasonal activity (quiet August and Christmas), an energy bill drifting up (+45 % in a year) and a tight
month ahead (a large timber order and the December payroll before a big, risky customer payment).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from schwifty import IBAN
from stdnum.fr import siren as stdnum_siren

from etabli.common.money import VatLine, compute_totals, line_net, round_cents

MONTHS = 24
TMP_NUMBER = re.compile(r"TMP(?:AV)?-\d{7}")


# --- Data classes (plain, JSON-able through dataclasses.asdict) ------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    first_name: str
    last_name: str
    email: str
    role: str  # owner | manager | accountant | employee | readonly
    job_title: str


@dataclass(frozen=True)
class DemoCompany:
    slug: str
    legal_name: str
    trade_name: str
    legal_form: str
    share_capital: Decimal
    siren: str
    siret: str
    vat_number: str
    rcs_city: str
    naf_code: str
    address_line1: str
    postal_code: str
    city: str
    email: str
    phone: str
    website: str
    hourly_cost: Decimal
    employees_count: int
    iban: str
    bic: str
    opening_balance: Decimal
    opening_date: dt.date


@dataclass(frozen=True)
class DemoCustomer:
    key: str
    name: str
    kind: str  # company | person
    profile: str  # loyal | late_payer | occasional | new
    sector: str
    siren: str
    siret: str
    vat_number: str
    address_line1: str
    postal_code: str
    city: str
    delivery_address: str
    email: str
    phone: str
    payment_terms_days: int
    since: dt.date
    iban: str


@dataclass(frozen=True)
class DemoSupplier:
    key: str
    name: str
    category: str
    expense_account: str
    siren: str
    vat_number: str
    iban: str
    address_line1: str
    postal_code: str
    city: str
    email: str
    payment_terms_days: int


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    unit: str
    unit_price: Decimal  # HT
    vat_rate: Decimal
    kind: str  # goods | service


@dataclass(frozen=True)
class DemoLine:
    sku: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    discount_percent: Decimal = Decimal("0")

    @property
    def net(self) -> Decimal:
        return line_net(self.quantity, self.unit_price, self.discount_percent)


@dataclass(frozen=True)
class DemoPayment:
    date: dt.date
    amount: Decimal
    method: str  # virement | cheque | carte
    bank_label: str


@dataclass
class DemoInvoice:
    number: str
    customer_key: str
    issue_date: dt.date
    due_date: dt.date
    lines: list[DemoLine]
    kind: str = "invoice"  # invoice | deposit | credit_note
    quote_number: str = ""
    related_invoice: str = ""  # for a credit note, the invoice it corrects; for a balance, its deposit
    deposit_percent: Decimal | None = None
    payments: list[DemoPayment] = field(default_factory=list)
    total_ht: Decimal = Decimal("0")
    total_tva: Decimal = Decimal("0")
    total_ttc: Decimal = Decimal("0")
    order_reference: str = ""

    def compute(self) -> None:
        totals = compute_totals(VatLine(line.net, line.vat_rate) for line in self.lines)
        self.total_ht, self.total_tva, self.total_ttc = totals.net, totals.vat, totals.gross

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0"))


@dataclass
class DemoQuote:
    number: str
    customer_key: str
    issue_date: dt.date
    validity_days: int
    lines: list[DemoLine]
    status: str  # accepted | refused | sent | expired
    title: str
    invoice_numbers: list[str] = field(default_factory=list)
    accepted_on: dt.date | None = None


@dataclass(frozen=True)
class DemoSupplierInvoice:
    supplier_key: str
    number: str
    issue_date: dt.date
    due_date: dt.date
    total_ht: Decimal
    vat_rate: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    description: str
    paid_on: dt.date | None


@dataclass(frozen=True)
class DemoBankLine:
    date: dt.date
    value_date: dt.date
    amount: Decimal  # signed: + credit, − debit
    label: str
    counterparty: str
    kind: str  # customer_payment | supplier_payment | salary | social | tax | rent | loan | fee | energy | …
    reference: str = ""


@dataclass(frozen=True)
class DemoDocument:
    kind: str  # facture_fournisseur | contrat | releve_bancaire | courrier_administratif | …
    title: str
    date: dt.date
    correspondent: str
    reference: str


@dataclass
class DemoDataset:
    seed: int
    today: dt.date
    scale: int
    company: DemoCompany
    people: list[DemoPerson]
    customers: list[DemoCustomer]
    suppliers: list[DemoSupplier]
    products: list[DemoProduct]
    quotes: list[DemoQuote]
    invoices: list[DemoInvoice]
    supplier_invoices: list[DemoSupplierInvoice]
    bank_lines: list[DemoBankLine]
    documents: list[DemoDocument]

    @property
    def closing_balance(self) -> Decimal:
        return self.company.opening_balance + sum((b.amount for b in self.bank_lines), Decimal("0"))

    def customer(self, key: str) -> DemoCustomer:
        return next(c for c in self.customers if c.key == key)


# --- Identifiers ------------------------------------------------------------------------------------------


def make_siren(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(8))
    body = str(rng.randint(3, 9)) + body[1:]
    return _luhn_complete(body)


def _luhn_complete(body: str) -> str:
    for digit in "0123456789":
        if stdnum_siren.is_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable: one Luhn digit always fits")


def make_siret(siren: str, rng: random.Random) -> str:
    for _ in range(1000):
        nic = f"{rng.randint(1, 99):04d}"
        for digit in "0123456789":
            candidate = siren + nic + digit
            from stdnum.fr import siret

            if siret.is_valid(candidate):
                return candidate
    raise AssertionError("no SIRET found")


def make_vat(siren: str) -> str:
    return "FR" + stdnum_siren.to_tva(siren)


BANKS = (("30004", "BNPAFRPP"), ("30003", "SOGEFRPP"), ("10278", "CMCIFR2A"), ("18306", "AGRIFRPP883"),
         ("14445", "CEPAFRPP444"), ("20041", "PSSTFRPP"))


def make_iban(rng: random.Random) -> str:
    bank, _ = rng.choice(BANKS)
    branch = f"{rng.randint(1, 99999):05d}"
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    return str(IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code=account))


# --- Reference data ---------------------------------------------------------------------------------------

FIRST_NAMES = ["Julien", "Camille", "Nicolas", "Léa", "Thomas", "Manon", "Antoine", "Chloé", "Hugo", "Inès",
               "Lucas", "Sarah", "Mathieu", "Emma", "Romain", "Claire", "Maxime", "Pauline", "Alexandre", "Julie",
               "Baptiste", "Marion", "Florian", "Anaïs", "Guillaume", "Laura", "Quentin", "Élodie"]
LAST_NAMES = ["Dupont", "Bernard", "Petit", "Robert", "Richard", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
              "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
              "Girard", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "Gauthier"]
CITIES = [("44000", "Nantes"), ("44100", "Nantes"), ("44200", "Nantes"), ("44300", "Nantes"),
          ("44400", "Rezé"), ("44800", "Saint-Herblain"), ("44240", "La Chapelle-sur-Erdre"),
          ("44700", "Orvault"), ("44230", "Saint-Sébastien-sur-Loire"), ("44120", "Vertou"),
          ("44470", "Carquefou"), ("44980", "Sainte-Luce-sur-Loire"), ("44600", "Saint-Nazaire"),
          ("49000", "Angers"), ("85000", "La Roche-sur-Yon")]
STREETS = ["rue de la Paix", "boulevard des Anglais", "rue Crébillon", "allée des Tilleuls", "rue du Calvaire",
           "avenue de la Libération", "rue Paul Bellamy", "chemin des Vignes", "rue de Strasbourg",
           "place du Commerce", "rue des Hauts-Pavés", "impasse des Chênes", "rue Jean Jaurès", "quai de la Fosse"]
COMPANY_CUSTOMERS = [
    ("Atlantique Habitat", "bailleur social", "loyal", 45),
    ("Cabinet d'architecture Lemoine", "architecture", "loyal", 30),
    ("Syndic Loire Gestion", "syndic de copropriété", "late_payer", 30),
    ("SCI Les Tonneliers", "immobilier", "occasional", 30),
    ("Boulangerie Le Fournil d'Erdre", "commerce", "loyal", 30),
    ("Hôtel Le Pélican", "hôtellerie", "late_payer", 30),
    ("Mairie de Vertou", "collectivité", "loyal", 30),
    ("Promotion Océane Immobilier", "promotion immobilière", "late_payer", 60),
    ("Restaurant La Civelle", "restauration", "occasional", 30),
    ("Groupe scolaire Sainte-Anne", "enseignement", "loyal", 30),
    ("Pharmacie du Marché", "commerce", "occasional", 30),
    ("Agence Nantaise de Rénovation", "bâtiment", "late_payer", 45),
    ("Cabinet médical des Dervallières", "santé", "loyal", 30),
    ("Librairie Coiffard & Fils", "commerce", "occasional", 30),
    ("Crèche Les Petits Mousses", "petite enfance", "new", 30),
    ("Bureau d'études Structura", "bâtiment", "new", 30),
    ("Cave à vins L'Échanson", "commerce", "new", 30),
    ("Gîtes du Lac de Grand-Lieu", "tourisme", "late_payer", 30),
]
SUPPLIERS = [
    ("scierie", "Scierie du Val de Loire", "bois", "601", 30),
    ("negoce", "Négoce Bois Atlantique", "bois", "601", 45),
    ("quincaillerie", "Quincaillerie Pro Ouest", "quincaillerie", "602", 30),
    ("vitrage", "Miroiterie Nantaise", "vitrage", "601", 30),
    ("energie", "Énergie Ouest", "énergie", "6061", 15),
    ("loyer", "SCI des Artisans", "loyer", "613", 0),
    ("assurance", "Mutuelle des Artisans Assurances", "assurance", "616", 0),
    ("telecom", "Télécom Loire Pro", "télécommunications", "626", 0),
    ("leasing", "Loire Auto Leasing", "véhicules", "6122", 0),
    ("comptable", "Cabinet Fontaine Expertise", "honoraires", "6226", 15),
    ("outillage", "Outillage Festo Service Ouest", "outillage", "6063", 30),
    ("transport", "Transports Brière Express", "transport", "624", 30),
]
PRODUCTS = [
    ("FEN-BOIS", "Fenêtre bois double vitrage sur mesure", "u", "890.00", "10", "goods"),
    ("FEN-ALU", "Fenêtre mixte bois-aluminium", "u", "1180.00", "10", "goods"),
    ("PORTE-CHENE", "Porte d'entrée chêne massif", "u", "2450.00", "10", "goods"),
    ("PORTE-INT", "Porte intérieure pleine", "u", "340.00", "20", "goods"),
    ("ESCALIER", "Escalier sur mesure hêtre", "u", "4800.00", "10", "goods"),
    ("PLACARD", "Placard sur mesure", "ml", "620.00", "20", "goods"),
    ("PARQUET", "Parquet chêne massif", "m²", "68.00", "10", "goods"),
    ("CUISINE", "Agencement de cuisine sur mesure", "ml", "1150.00", "20", "goods"),
    ("VOLET", "Volet battant bois", "u", "420.00", "10", "goods"),
    ("BIBLIO", "Bibliothèque murale sur mesure", "ml", "540.00", "20", "goods"),
    ("POSE-H", "Pose et ajustage", "h", "52.00", "20", "service"),
    ("POSE-RENO", "Pose en rénovation (logement de plus de 2 ans)", "h", "52.00", "10", "service"),
    ("ISOL-FEN", "Remplacement de fenêtres, rénovation énergétique", "u", "760.00", "5.5", "goods"),
    ("DEPL", "Déplacement", "forfait", "45.00", "20", "service"),
    ("ETUDE", "Étude et prise de cotes", "forfait", "150.00", "20", "service"),
    ("REPAR", "Réparation de menuiserie", "h", "48.00", "10", "service"),
]
PROJECTS = {
    "FEN-BOIS": "Remplacement des fenêtres", "FEN-ALU": "Menuiseries extérieures",
    "PORTE-CHENE": "Porte d'entrée", "PORTE-INT": "Portes intérieures", "ESCALIER": "Escalier",
    "PLACARD": "Placards", "PARQUET": "Parquet", "CUISINE": "Agencement de cuisine", "VOLET": "Volets",
    "BIBLIO": "Bibliothèque", "ISOL-FEN": "Rénovation énergétique des fenêtres", "REPAR": "Réparations",
}
# Monthly activity index: a quiet August (3 weeks closed) and Christmas, busy spring and autumn.
SEASON = {1: 0.85, 2: 0.9, 3: 1.1, 4: 1.15, 5: 1.1, 6: 1.05, 7: 0.9, 8: 0.35, 9: 1.15, 10: 1.2, 11: 1.1, 12: 0.75}


def _d(value: str | int | float) -> Decimal:
    return Decimal(str(value))


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _month_start(day: dt.date, months_back: int) -> dt.date:
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _Builder:
    """Builds the dataset step by step; one instance per generation, one RNG for determinism."""

    def __init__(self, seed: int, today: dt.date, scale: int):
        self.rng = random.Random(seed)
        self.seed, self.today, self.scale = seed, today, max(1, scale)
        self.start = _month_start(today, MONTHS)
        self.invoice_seq = 0
        self.credit_seq = 0
        self.quote_seq = 0
        self.bank: list[DemoBankLine] = []

    # -- people and parties ------------------------------------------------------------------------------

    def company(self) -> DemoCompany:
        rng = random.Random(1000 + self.seed)
        siren = make_siren(rng)
        return DemoCompany(
            slug="menuiserie-martin", legal_name="Menuiserie Martin SARL", trade_name="Menuiserie Martin",
            legal_form="SARL", share_capital=_d("20000.00"), siren=siren, siret=make_siret(siren, rng),
            vat_number=make_vat(siren), rcs_city="Nantes", naf_code="43.32A",
            address_line1="12 rue des Artisans", postal_code="44300", city="Nantes",
            email="contact@menuiserie-martin.fr", phone="02 40 12 34 56", website="https://menuiserie-martin.fr",
            hourly_cost=_d("35.00"), employees_count=8, iban=make_iban(rng), bic="CMCIFR2A",
            opening_balance=_d("52000.00"), opening_date=self.start,
        )

    def people(self) -> list[DemoPerson]:
        staff = [
            ("Pierre", "Martin", "owner", "Gérant"),
            ("Sophie", "Martin", "manager", "Assistante de gestion"),
            ("Karim", "Benali", "employee", "Chef d'atelier"),
            ("Lucie", "Moreau", "employee", "Menuisière"),
            ("Yann", "Le Goff", "employee", "Menuisier poseur"),
            ("Théo", "Durand", "employee", "Menuisier poseur"),
            ("Nadia", "Rousseau", "readonly", "Menuisière agenceuse"),
            ("Enzo", "Martin", "employee", "Apprenti menuisier"),
        ]
        people = [
            DemoPerson(first, last, f"{first.lower().replace('é', 'e')}.{last.lower().replace(' ', '')}@menuiserie-martin.fr",
                       role, title)
            for first, last, role, title in staff
        ]
        people.append(DemoPerson("Claire", "Fontaine", "claire.fontaine@fontaine-expertise.fr", "accountant",
                                 "Expert-comptable (cabinet externe)"))
        return people

    def _address(self) -> tuple[str, str, str]:
        postal, city = self.rng.choice(CITIES)
        return f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}", postal, city

    def customers(self) -> list[DemoCustomer]:
        customers: list[DemoCustomer] = []
        for copy in range(self.scale):
            suffix = "" if copy == 0 else f" ({copy + 1})"
            for index, (name, sector, profile, terms) in enumerate(COMPANY_CUSTOMERS):
                siren = make_siren(self.rng)
                street, postal, city = self._address()
                since = self.today - dt.timedelta(days=self.rng.randint(40, 110)) if profile == "new" else (
                    self.start - dt.timedelta(days=self.rng.randint(100, 2000)))
                customers.append(DemoCustomer(
                    key=f"c{copy}-{index}", name=name + suffix, kind="company", profile=profile, sector=sector,
                    siren=siren, siret=make_siret(siren, self.rng), vat_number=make_vat(siren),
                    address_line1=street, postal_code=postal, city=city,
                    delivery_address="" if self.rng.random() < 0.6 else f"Chantier : {self._address()[0]}, {city}",
                    email=f"compta@{name.lower().split()[0].replace('é', 'e').replace('è', 'e')}{copy or ''}.fr",
                    phone=f"02 40 {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                    payment_terms_days=terms, since=since, iban=make_iban(self.rng),
                ))
            for index in range(42):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                street, postal, city = self._address()
                roll = self.rng.random()
                profile = "new" if roll < 0.2 else "late_payer" if roll < 0.3 else "occasional"
                since = (self.today - dt.timedelta(days=self.rng.randint(30, 120)) if profile == "new"
                         else self.start + dt.timedelta(days=self.rng.randint(0, 600)))
                customers.append(DemoCustomer(
                    key=f"p{copy}-{index}", name=f"{first} {last}{suffix}", kind="person", profile=profile,
                    sector="particulier", siren="", siret="", vat_number="", address_line1=street,
                    postal_code=postal, city=city, delivery_address="",
                    email=f"{first.lower()}.{last.lower()}{index}@exemple.fr".replace("é", "e").replace("ï", "i").replace("ë", "e"),
                    phone=f"06 {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                    payment_terms_days=0 if self.rng.random() < 0.5 else 15, since=since, iban=make_iban(self.rng),
                ))
        return customers

    def suppliers(self) -> list[DemoSupplier]:
        result = []
        for key, name, category, account, terms in SUPPLIERS:
            siren = make_siren(self.rng)
            street, postal, city = self._address()
            result.append(DemoSupplier(
                key=key, name=name, category=category, expense_account=account, siren=siren,
                vat_number=make_vat(siren), iban=make_iban(self.rng), address_line1=street, postal_code=postal,
                city=city, email=f"facturation@{key}-ouest.fr", payment_terms_days=terms,
            ))
        return result

    @staticmethod
    def products() -> list[DemoProduct]:
        return [DemoProduct(sku, name, unit, _d(price), _d(rate), kind) for sku, name, unit, price, rate, kind in PRODUCTS]

    # -- sales ------------------------------------------------------------------------------------------------

    def _lines_for(self, customer: DemoCustomer, products: dict[str, DemoProduct]) -> tuple[str, list[DemoLine]]:
        rng = self.rng
        is_person = customer.kind == "person"
        main_sku = rng.choice(["FEN-BOIS", "FEN-ALU", "PORTE-CHENE", "PORTE-INT", "ESCALIER", "PLACARD", "PARQUET",
                               "CUISINE", "VOLET", "BIBLIO", "ISOL-FEN", "REPAR"])
        main = products[main_sku]
        quantity = {"u": rng.choice([1, 1, 1, 1, 2, 2, 3]), "ml": rng.choice([1, 1, 2, 2, 3]), "m²": rng.randint(8, 30),
                    "h": rng.randint(2, 10)}[main.unit]
        rate = main.vat_rate if is_person else _d("20")  # reduced rates apply to homes, not to businesses
        lines = [DemoLine(main.sku, main.name, _d(quantity), main.unit, main.unit_price, rate)]
        if main.kind == "goods":
            pose = products["POSE-RENO" if is_person else "POSE-H"]
            hours = max(2, int(quantity * rng.uniform(1.0, 2.5)))
            lines.append(DemoLine(pose.sku, pose.name, _d(hours), "h", pose.unit_price,
                                  pose.vat_rate if is_person else _d("20")))
        if rng.random() < 0.5:
            lines.append(DemoLine("DEPL", products["DEPL"].name, _d(1), "forfait", products["DEPL"].unit_price, _d("20")))
        if not is_person and rng.random() < 0.2:
            lines = [DemoLine(l.sku, l.description, l.quantity, l.unit, l.unit_price, l.vat_rate, _d(5)) for l in lines]
        return PROJECTS.get(main_sku, main.name), lines

    def _next_invoice_number(self, day: dt.date) -> str:
        """A provisional key; final numbers are given in date order by `number_invoices` (gapless, chronological)."""
        self.invoice_seq += 1
        return f"TMP-{self.invoice_seq:07d}"

    def _payment_delay(self, customer: DemoCustomer) -> int | None:
        """Days after the due date (negative = early); None = not paid (yet) — a future or open invoice."""
        rng = self.rng
        profile = customer.profile
        roll = rng.random()
        on_time_share = {"loyal": 0.88, "occasional": 0.72, "new": 0.66, "late_payer": 0.32}[profile]
        if customer.kind == "person":
            on_time_share = min(0.9, on_time_share + 0.1)
        if roll < on_time_share:
            return -rng.randint(0, 10)
        if profile == "late_payer":
            return rng.randint(8, 75)
        return rng.randint(1, 28)

    def sales(self, customers: list[DemoCustomer], products: list[DemoProduct]):
        rng = self.rng
        by_sku = {p.sku: p for p in products}
        quotes: list[DemoQuote] = []
        invoices: list[DemoInvoice] = []
        weights = [4 if c.profile == "loyal" else 2 if c.kind == "company" else 1 for c in customers]
        # Sales start two months before the bank history so that the first months already receive payments.
        day = self.start - dt.timedelta(days=60)
        while day <= self.today:
            if day.weekday() < 5:
                expected = 3.4 * SEASON[day.month] * self.scale  # ≈ 10 customer invoices a week
                count = sum(1 for _ in range(int(expected * 2)) if rng.random() < 0.5)
                for _ in range(count):
                    customer = rng.choices(customers, weights=weights)[0]
                    if customer.since > day:
                        continue
                    self._one_sale(customer, day, by_sku, quotes, invoices)
            day += dt.timedelta(days=1)
        self._credit_notes(invoices)
        return quotes, invoices

    def _one_sale(self, customer, day, by_sku, quotes, invoices) -> None:
        rng = self.rng
        title, lines = self._lines_for(customer, by_sku)
        self.quote_seq += 1
        quote_day = day - dt.timedelta(days=rng.randint(25, 60))
        quote = DemoQuote(number=f"DE-{quote_day.year}-{self.quote_seq:05d}", customer_key=customer.key,
                          issue_date=quote_day, validity_days=30, lines=lines, status="accepted", title=title,
                          accepted_on=quote_day + dt.timedelta(days=rng.randint(2, 10)))
        quotes.append(quote)
        if rng.random() < 0.25:  # some quotes are refused or still waiting
            quote.status = "refused" if quote_day < self.today - dt.timedelta(days=30) else "sent"
            quote.accepted_on = None
            return
        terms = customer.payment_terms_days
        big_job = customer.kind == "person" and sum(l.net for l in lines) > 3000
        if big_job:  # a deposit (acompte 30 %) at order, the balance at completion
            deposit_day = min(quote.accepted_on or day, self.today)
            deposit = self._invoice(customer, deposit_day, 0, [
                DemoLine("ACOMPTE", f"Acompte de 30 % sur devis {quote.number} — {title}", _d(1), "forfait",
                         round_cents(sum(l.net for l in lines if l.vat_rate == r) * _d("0.3")), r)
                for r in sorted({l.vat_rate for l in lines}, reverse=True)
            ], kind="deposit", quote=quote)
            deposit.deposit_percent = _d("30")
            invoices.append(deposit)
            balance_lines = list(lines) + [
                DemoLine("ACOMPTE", f"Déduction acompte {deposit.number}", _d(-1), "forfait",
                         round_cents(sum(l.net for l in lines if l.vat_rate == r) * _d("0.3")), r)
                for r in sorted({l.vat_rate for l in lines}, reverse=True)
            ]
            invoices.append(self._invoice(customer, day, terms, balance_lines, quote=quote, related=deposit.number))
        else:
            invoices.append(self._invoice(customer, day, terms, lines, quote=quote))

    def _invoice(self, customer, day, terms, lines, kind="invoice", quote=None, related="") -> DemoInvoice:
        rng = self.rng
        number = self._next_invoice_number(day)
        invoice = DemoInvoice(number=number, customer_key=customer.key, issue_date=day,
                              due_date=day + dt.timedelta(days=terms), lines=lines, kind=kind,
                              quote_number=quote.number if quote else "", related_invoice=related,
                              order_reference=f"BC-{rng.randint(1000, 9999)}" if customer.kind == "company" and rng.random() < 0.4 else "")
        invoice.compute()
        if quote is not None:
            quote.invoice_numbers.append(number)
        delay = self._payment_delay(customer)
        pay_day = invoice.due_date + dt.timedelta(days=delay)
        if kind == "deposit":
            pay_day = day + dt.timedelta(days=rng.randint(0, 6))
        pay_day = _weekday_on_or_after(max(pay_day, day))
        if pay_day <= self.today:
            method = "cheque" if customer.kind == "person" and rng.random() < 0.35 else "virement"
            if customer.profile == "late_payer" and rng.random() < 0.3 and invoice.total_ttc > 1500:
                # pays in two instalments
                first = round_cents(invoice.total_ttc * _d("0.5"))
                second_day = _weekday_on_or_after(pay_day + dt.timedelta(days=rng.randint(15, 35)))
                invoice.payments.append(DemoPayment(pay_day, first, method, ""))
                if second_day <= self.today:
                    invoice.payments.append(DemoPayment(second_day, invoice.total_ttc - first, method, ""))
            else:
                invoice.payments.append(DemoPayment(pay_day, invoice.total_ttc, method, ""))
        return invoice

    def _payment_label(self, customer: DemoCustomer, invoice: DemoInvoice, method: str) -> str:
        rng = self.rng
        if method == "cheque":
            return f"REMISE CHEQUE N°{rng.randint(1000000, 9999999)}"
        name = customer.name.upper()
        style = rng.random()
        if style < 0.45:
            return f"VIR SEPA {name} {invoice.number}"
        if style < 0.7:
            return f"VIR {name[:18]} FACT {invoice.number.split('-')[-1].lstrip('0')}"
        if style < 0.85:
            return f"VIREMENT DE {name} REF {invoice.order_reference or invoice.number}"
        return f"VIR INST {name[:24]}"

    def _credit_notes(self, invoices: list[DemoInvoice]) -> None:
        """A few invoices corrected by a credit note (a wrong quantity, a commercial gesture)."""
        rng = self.rng
        candidates = [i for i in invoices if i.kind == "invoice" and not i.payments and i.issue_date < self.today - dt.timedelta(days=20)]
        for invoice in rng.sample(candidates, k=min(len(candidates), 3 * self.scale)):
            amount = round_cents(invoice.lines[0].unit_price * _d("0.1"))
            self.credit_seq += 1
            day = invoice.issue_date + dt.timedelta(days=rng.randint(3, 15))
            note = DemoInvoice(number=f"TMPAV-{self.credit_seq:07d}", customer_key=invoice.customer_key,
                               issue_date=day, due_date=day, kind="credit_note", related_invoice=invoice.number,
                               lines=[DemoLine("REMISE", f"Geste commercial sur facture {invoice.number}", _d(1),
                                               "forfait", amount, invoice.lines[0].vat_rate)])
            note.compute()
            invoices.append(note)
            # the customer then pays the invoice net of the credit note
            pay_day = _weekday_on_or_after(note.issue_date + dt.timedelta(days=rng.randint(5, 25)))
            if pay_day <= self.today:
                invoice.payments.append(DemoPayment(pay_day, invoice.total_ttc - note.total_ttc, "virement", ""))

    # -- purchases and bank -----------------------------------------------------------------------------------

    def purchases(self, suppliers: list[DemoSupplier], invoices: list[DemoInvoice]) -> list[DemoSupplierInvoice]:
        """Timber and hardware follow sales; energy drifts up; the fixed charges are monthly or quarterly."""
        rng = self.rng
        by_key = {s.key: s for s in suppliers}
        result: list[DemoSupplierInvoice] = []
        counters: dict[str, int] = {}

        def add(key: str, day: dt.date, ht: Decimal, rate: str, description: str, pay_after: int | None = None):
            supplier = by_key[key]
            counters[key] = counters.get(key, 0) + 1
            tva = round_cents(ht * _d(rate) / 100)
            due = day + dt.timedelta(days=supplier.payment_terms_days)
            paid_on = _weekday_on_or_after(due if pay_after is None else day + dt.timedelta(days=pay_after))
            result.append(DemoSupplierInvoice(
                supplier_key=key, number=f"{key[:3].upper()}{day:%y%m}-{counters[key]:04d}", issue_date=day,
                due_date=due, total_ht=round_cents(ht), vat_rate=_d(rate), total_tva=tva,
                total_ttc=round_cents(ht) + tva, description=description,
                paid_on=paid_on if paid_on <= self.today else None,
            ))

        month = self.start
        month_index = 0
        while month <= self.today:
            sales_ht = sum((i.total_ht for i in invoices if i.kind == "invoice" and i.issue_date.year == month.year
                            and i.issue_date.month == month.month), Decimal("0"))
            wood = max(sales_ht * _d("0.40"), _d("1500"))
            for part in range(3):
                day = _weekday_on_or_after(month + dt.timedelta(days=3 + part * 9))
                if day <= self.today:
                    add("scierie" if part != 1 else "negoce", day, wood / 3 * _d(rng.uniform(0.85, 1.15)), "20",
                        "Bois massif et panneaux")
            for key, share, label in (("quincaillerie", "0.05", "Quincaillerie et ferrures"),
                                      ("vitrage", "0.06", "Double vitrage sur mesure")):
                day = _weekday_on_or_after(month + dt.timedelta(days=rng.randint(5, 20)))
                if day <= self.today:
                    add(key, day, max(sales_ht * _d(share), _d("200")) * _d(rng.uniform(0.8, 1.2)), "20", label)
            # Energy: winter peaks, and a price drift of about +45 % over the last 12 months.
            drift = _d(1) + _d("0.45") * _d(max(0, month_index - (MONTHS - 12))) / 12
            winter = _d("1.35") if month.month in (12, 1, 2) else _d("0.85") if month.month in (6, 7, 8) else _d(1)
            day = _weekday_on_or_after(month + dt.timedelta(days=8))
            if day <= self.today:
                add("energie", day, _d("620") * drift * winter, "20", "Électricité atelier", pay_after=15)
                add("telecom", _weekday_on_or_after(month + dt.timedelta(days=2)), _d("74.17"), "20",
                    "Forfait téléphonie et internet", pay_after=5)
                add("leasing", _weekday_on_or_after(month + dt.timedelta(days=1)), _d("650.00"), "20",
                    "Location longue durée fourgon", pay_after=4)
                add("comptable", _weekday_on_or_after(month + dt.timedelta(days=20)), _d("290.00"), "20",
                    "Honoraires tenue comptable")
            if month.month in (1, 4, 7, 10):
                day = _weekday_on_or_after(month + dt.timedelta(days=5))
                if day <= self.today:
                    add("assurance", day, _d("1540.00"), "0", "Multirisque atelier et RC décennale", pay_after=10)
            if rng.random() < 0.3:
                day = _weekday_on_or_after(month + dt.timedelta(days=rng.randint(1, 25)))
                if day <= self.today:
                    add("outillage", day, _d(rng.randint(180, 2400)), "20", "Outillage et consommables")
            if rng.random() < 0.5:
                day = _weekday_on_or_after(month + dt.timedelta(days=rng.randint(1, 25)))
                if day <= self.today:
                    add("transport", day, _d(rng.randint(90, 450)), "20", "Livraison de panneaux")
            month = _add_months(month, 1)
            month_index += 1
        # The tight month ahead: a large timber order for the Atlantique Habitat site, due in 3–4 weeks.
        add("negoce", self.today - dt.timedelta(days=12), _d("16500.00"), "20",
            "Commande bois chantier résidence Les Mouettes (Promotion Océane Immobilier)")
        return sorted(result, key=lambda s: (s.issue_date, s.number))

    def number_invoices(self, customers: list[DemoCustomer], quotes: list[DemoQuote], invoices: list[DemoInvoice]) -> None:
        """Give final numbers per series and year in issue-date order (gapless, chronological), then the
        bank labels that quote them (customers quote the number, or not, as in real statements)."""
        invoices.sort(key=lambda i: (i.issue_date, i.number))
        mapping: dict[str, str] = {}
        counters: dict[tuple[str, int], int] = {}
        for invoice in invoices:
            series = "AV" if invoice.kind == "credit_note" else "FA"
            counters[(series, invoice.issue_date.year)] = counters.get((series, invoice.issue_date.year), 0) + 1
            mapping[invoice.number] = f"{series}-{invoice.issue_date.year}-{counters[(series, invoice.issue_date.year)]:05d}"
        by_key = {c.key: c for c in customers}
        credit_for = {i.related_invoice: i for i in invoices if i.kind == "credit_note"}
        for invoice in invoices:
            invoice.number = mapping[invoice.number]
            invoice.related_invoice = mapping.get(invoice.related_invoice, invoice.related_invoice)
        for invoice in invoices:
            customer = by_key[invoice.customer_key]
            note = credit_for.get(invoice.number)
            invoice.payments = [
                replace(p, bank_label=(f"VIR SEPA REGLEMENT {invoice.number} AVOIR {note.number}"
                                       if note is not None and p.amount == invoice.total_ttc - note.total_ttc
                                       else self._payment_label(customer, invoice, p.method)))
                for p in invoice.payments
            ]
            invoice.lines = [
                replace(line, description=TMP_NUMBER.sub(lambda m: mapping.get(m.group(0), m.group(0)), line.description))
                for line in invoice.lines
            ]
        for quote in quotes:
            quote.invoice_numbers = [mapping[n] for n in quote.invoice_numbers]

    def big_open_invoice(self, customers: list[DemoCustomer], invoices: list[DemoInvoice]) -> None:
        """The big, risky payment the forecast must flag: résidence Les Mouettes for a late-paying developer,
        due after the December payroll and the timber bill of the same site."""
        customer = next(c for c in customers if c.name == "Promotion Océane Immobilier")
        day = self.today - dt.timedelta(days=20)
        lines = [DemoLine("FEN-ALU", "Menuiseries extérieures — résidence Les Mouettes, lot 4", _d(18), "u",
                          _d("1180.00"), _d("20")),
                 DemoLine("POSE-H", "Pose et ajustage", _d(120), "h", _d("52.00"), _d("20"))]
        invoice = DemoInvoice(number=self._next_invoice_number(day), customer_key=customer.key, issue_date=day,
                              due_date=day + dt.timedelta(days=customer.payment_terms_days), lines=lines,
                              order_reference="BC-MOUETTES-4")
        invoice.compute()
        invoices.append(invoice)

    def bank_lines(self, company: DemoCompany, customers, invoices, supplier_invoices) -> list[DemoBankLine]:
        lines: list[DemoBankLine] = []
        by_key = {c.key: c for c in customers}
        for invoice in invoices:
            for payment in invoice.payments:
                lines.append(DemoBankLine(payment.date, payment.date, payment.amount, payment.bank_label,
                                          by_key[invoice.customer_key].name, "customer_payment", invoice.number))
        supplier_names = {s[0]: s[1] for s in SUPPLIERS}
        for bill in supplier_invoices:
            if bill.paid_on is not None:
                name = supplier_names[bill.supplier_key]
                label = (f"PRLV SEPA {name.upper()[:22]}" if bill.supplier_key in ("energie", "telecom", "leasing", "assurance")
                         else f"VIR SEPA {name.upper()[:24]} {bill.number}")
                lines.append(DemoBankLine(bill.paid_on, bill.paid_on, -bill.total_ttc, label, name,
                                          "supplier_payment", bill.number))
        month = self.start
        while month <= self.today:
            payroll = _d("17800.00") * self.scale
            if month.month == 12:
                payroll += _d("4200.00") * self.scale  # year-end bonus
            for day_of_month, amount, label, counterparty, kind in (
                (5, -_d("2400.00"), "PRLV SEPA SCI DES ARTISANS LOYER", "SCI des Artisans", "rent"),
                (10, -_d("1152.40"), "ECHEANCE PRET PRO N°4471823", "Crédit Mutuel", "loan"),
                (15, -(_d("9300.00") * self.scale), "PRLV SEPA URSSAF PAYS DE LA LOIRE", "URSSAF", "social"),
                (27, -payroll, "VIR SALAIRES " + month.strftime("%m/%Y"), "Salariés", "salary"),
                (28, -_d("3500.00"), "VIR REMUNERATION GERANT", "Pierre Martin", "salary"),
                (3, -_d("38.90"), "FRAIS TENUE DE COMPTE ET CB", "Banque", "fee"),
            ):
                day = _weekday_on_or_after(month.replace(day=min(day_of_month, 28)))
                if day <= self.today:
                    lines.append(DemoBankLine(day, day, amount, label, counterparty, kind))
            # Monthly VAT (CA3): collected on last month's sales minus deductible on purchases.
            previous = _add_months(month, -1)
            collected = sum((i.total_tva for i in invoices if (i.issue_date.year, i.issue_date.month) ==
                             (previous.year, previous.month) and i.kind != "credit_note"), Decimal("0"))
            deductible = sum((s.total_tva for s in supplier_invoices if (s.issue_date.year, s.issue_date.month) ==
                              (previous.year, previous.month)), Decimal("0"))
            day = _weekday_on_or_after(month.replace(day=19))
            if previous >= self.start and day <= self.today and collected > deductible:
                lines.append(DemoBankLine(day, day, -(collected - deductible).quantize(Decimal("1")),
                                          f"PRLV SEPA DGFIP TVA {previous:%m/%Y}", "DGFiP", "tax"))
            if month.month in (3, 6, 9, 12):
                day = _weekday_on_or_after(month.replace(day=15))
                if day <= self.today:
                    lines.append(DemoBankLine(day, day, -_d("2800.00"), "PRLV SEPA DGFIP ACOMPTE IS", "DGFiP", "tax"))
            month = _add_months(month, 1)
        lines = [line for line in lines if line.date >= self.start]
        lines.sort(key=lambda l: (l.date, l.kind, l.label))
        return self._sweep_to_savings(company.opening_balance, lines)

    def _sweep_to_savings(self, opening: Decimal, lines: list[DemoBankLine]) -> list[DemoBankLine]:
        """Like a careful owner: at each month end, move cash above 75 k€ to a term account, and bring some
        back when the current account falls under 15 k€ (within what was saved)."""
        ceiling, target, floor, refill = (_d(v) * self.scale for v in ("75000", "55000", "15000", "35000"))
        balance, savings, result = opening, _d("0"), []
        for index, line in enumerate(lines):
            result.append(line)
            balance += line.amount
            following = lines[index + 1].date if index + 1 < len(lines) else None
            month_ends = following is None or (following.year, following.month) != (line.date.year, line.date.month)
            if not month_ends or line.date >= self.today - dt.timedelta(days=3):
                continue
            if balance > ceiling:
                amount = ((balance - target) / 5000).quantize(Decimal("1")) * 5000
                result.append(DemoBankLine(line.date, line.date, -amount, "VIR VERS COMPTE A TERME N°0042",
                                           "Menuiserie Martin — compte à terme", "savings"))
                balance, savings = balance - amount, savings + amount
            elif balance < floor and savings > 0:
                amount = min(savings, ((refill - balance) / 5000).quantize(Decimal("1")) * 5000)
                result.append(DemoBankLine(line.date, line.date, amount, "VIR DEPUIS COMPTE A TERME N°0042",
                                           "Menuiserie Martin — compte à terme", "savings"))
                balance, savings = balance + amount, savings - amount
        return result

    def documents(self, suppliers, supplier_invoices) -> list[DemoDocument]:
        names = {s.key: s.name for s in suppliers}
        docs = [DemoDocument("facture_fournisseur", f"Facture {names[s.supplier_key]} {s.number}", s.issue_date,
                             names[s.supplier_key], s.number) for s in supplier_invoices[-60:]]
        docs += [
            DemoDocument("contrat", "Bail commercial de l'atelier", self.start, "SCI des Artisans", "BAIL-2019"),
            DemoDocument("contrat", "Contrat de location longue durée du fourgon", self.start, "Loire Auto Leasing",
                         "LLD-88231"),
            DemoDocument("courrier_administratif", "Avis de CFE", self.today - dt.timedelta(days=40), "DGFiP", "CFE"),
        ]
        return docs


def generate(seed: int = 1, today: dt.date | None = None, scale: int = 1) -> DemoDataset:
    """Build the whole demo dataset. `scale` multiplies customers and sales volume (for load tests)."""
    today = today or dt.date.today()
    builder = _Builder(seed, today, scale)
    company = builder.company()
    people = builder.people()
    customers = builder.customers()
    suppliers = builder.suppliers()
    products = builder.products()
    quotes, invoices = builder.sales(customers, products)
    builder.big_open_invoice(customers, invoices)
    builder.number_invoices(customers, quotes, invoices)
    supplier_invoices = builder.purchases(suppliers, invoices)
    bank = builder.bank_lines(company, customers, invoices, supplier_invoices)
    documents = builder.documents(suppliers, supplier_invoices)
    return DemoDataset(seed=seed, today=today, scale=builder.scale, company=company, people=people,
                       customers=customers, suppliers=suppliers, products=products, quotes=quotes,
                       invoices=invoices, supplier_invoices=supplier_invoices, bank_lines=bank, documents=documents)
