"""Synthetic French invoices (PDF via reportlab) with their ground truth, to test generality.

Why: the public sample set has six invoices, none from a French TPE supplier except Free. These
generated invoices follow French conventions (mentions légales, SIREN/SIRET/TVA, "Net à payer",
"TVA non applicable, art. 293 B du CGI"…) with varied layouts, wordings, number and date formats, so the
extractor is checked on issuers it was never written for. The extractor's code never sees this file.

Layouts:
- ``classic``: letterhead top-left, customer top-right, "FACTURE N° …", dates in lines, totals block;
- ``header_table``: number, date and due date in a header table (labels above values), totals table;
- ``micro``: micro-entrepreneur without VAT (art. 293 B), SIRET only, a single "Total à payer";
- ``multi_rate``: 20 % and 5,5 % lines with a VAT table "Taux | Base HT | Montant TVA";
- ``avoir``: a credit note with negative amounts and a reference to the original invoice.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from schwifty import IBAN

LAYOUTS = ("classic", "header_table", "micro", "multi_rate", "avoir")
MONTHS = (
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
)
NAMES = (
    "Boulangerie Martin",
    "Atelier Dubois",
    "Transports Lefèvre",
    "Cabinet Roux Conseil",
    "Plomberie du Centre",
    "Imprimerie Garnier",
    "Menuiserie Chevalier",
    "Bureau Vallée Nord",
    "Fromagerie des Alpes",
    "Garage Moreau",
    "Électricité Fournier",
    "Jardins de Provence",
    "Laverie Mercier",
    "Studio Blanc Photo",
    "Serrurerie Lambert",
)
FORMS = ("SARL", "SAS", "EURL", "SA", "SASU")
CITIES = ("Lyon", "Nantes", "Bordeaux", "Lille", "Toulouse", "Rennes", "Dijon", "Grenoble")
ITEMS = (
    "Prestation de maintenance",
    "Fourniture de papier A4",
    "Déplacement technicien",
    "Pièces détachées",
    "Forfait installation",
    "Heures de main-d'œuvre",
    "Location de matériel",
    "Conseil et audit",
)
CENT = Decimal("0.01")


def luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def make_siren(rng: random.Random) -> str:
    body = str(rng.randint(10_000_000, 99_999_999))
    return body + luhn_digit(body)


def make_siret(siren: str, rng: random.Random) -> str:
    body = siren + f"{rng.randint(1, 9999):04d}"
    return body + luhn_digit(body)


def vat_number(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def make_iban(rng: random.Random) -> str:
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    return str(
        IBAN.generate(
            "FR",
            bank_code=f"{rng.choice([30006, 10278, 20041, 30004]):05d}",
            branch_code=f"{rng.randint(1, 99999):05d}",
            account_code=account,
        )
    )


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class SyntheticInvoice:
    pdf: bytes
    truth: dict[str, object]
    layout: str
    breakdown: list[tuple[Decimal, Decimal, Decimal]] = field(default_factory=list)


class _Style:
    """Random but coherent formatting choices for one invoice."""

    def __init__(self, rng: random.Random) -> None:
        self.date_style = rng.choice(("slash", "long", "dot", "iso"))
        self.amount_style = rng.choice(("fr_space", "fr_dot", "fr_plain", "eur_code"))
        self.font = rng.choice(("Helvetica", "Times-Roman", "Courier"))
        self.bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}[
            self.font
        ]

    def date(self, value: date) -> str:
        if self.date_style == "slash":
            return value.strftime("%d/%m/%Y")
        if self.date_style == "dot":
            return value.strftime("%d.%m.%Y")
        if self.date_style == "iso":
            return value.isoformat()
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    def amount(self, value: Decimal) -> str:
        sign = "-" if value < 0 else ""
        integer, decimals = f"{abs(value):.2f}".split(".")
        groups = []
        while len(integer) > 3:
            groups.insert(0, integer[-3:])
            integer = integer[:-3]
        groups.insert(0, integer)
        if self.amount_style == "fr_space":
            return f"{sign}{' '.join(groups)},{decimals} €"
        if self.amount_style == "fr_dot":
            return f"{sign}{'.'.join(groups)},{decimals} €"
        if self.amount_style == "fr_plain":
            return f"{sign}{''.join(groups)},{decimals} €"
        return f"{sign}{' '.join(groups)},{decimals} EUR"


def generate(seed: int, layout: str | None = None) -> SyntheticInvoice:
    rng = random.Random(seed)
    layout = layout or rng.choice(LAYOUTS)
    style = _Style(rng)
    name = rng.choice(NAMES)
    form = "EI" if layout == "micro" else rng.choice(FORMS)
    city = rng.choice(CITIES)
    siren = make_siren(rng)
    siret = make_siret(siren, rng)
    iban = make_iban(rng)
    issue = date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))
    due = issue + timedelta(days=rng.choice((0, 15, 30, 45, 60)))
    prefix = "AV" if layout == "avoir" else rng.choice(("FA", "F", "FAC", ""))
    number = f"{prefix}{'-' if prefix and rng.random() < 0.6 else ''}{issue.year}-{rng.randint(1, 9999):04d}"
    order = f"{rng.choice(('BC', 'PO', 'CMD'))}{rng.randint(100, 99999)}"

    rates = {"multi_rate": [Decimal(20), Decimal("5.5")], "micro": [Decimal(0)]}.get(layout, [Decimal(20)])
    lines = []
    for index in range(rng.randint(2, 5)):
        rate = rates[index % len(rates)]
        quantity = rng.randint(1, 12)
        unit = Decimal(rng.randint(500, 90000)) / 100
        lines.append((rng.choice(ITEMS), quantity, unit, rate, cents(unit * quantity)))
    sign = Decimal(-1) if layout == "avoir" else Decimal(1)
    bases: dict[Decimal, Decimal] = {}
    for *_, rate, net in lines:
        bases[rate] = bases.get(rate, Decimal(0)) + net * sign
    breakdown = [(rate, base, cents(base * rate / 100)) for rate, base in bases.items()]
    total_ht = sum((b for _, b, _ in breakdown), Decimal(0))
    total_tva = sum((v for _, _, v in breakdown), Decimal(0))
    total_ttc = total_ht + total_tva

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    height = A4[1]
    font, bold = style.font, style.bold

    def text(
        x: float, y: float, value: str, size: float = 10, strong: bool = False, right: bool = False
    ) -> None:
        pdf.setFont(bold if strong else font, size)
        (pdf.drawRightString if right else pdf.drawString)(x, y, value)

    # Letterhead (issuer) top-left, customer block top-right.
    text(40, height - 50, f"{name} {form}", 15, strong=True)
    text(
        40,
        height - 66,
        f"{rng.randint(1, 120)} rue {rng.choice(('de la République', 'Victor Hugo', 'des Lilas', 'du Commerce'))}",
    )
    text(40, height - 78, f"{rng.randint(10, 95)}000 {city}")
    text(
        40,
        height - 90,
        f"Tél. 0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
    )
    customer_siren = make_siren(rng)
    text(340, height - 120, rng.choice(("Client :", "Facturé à :", "Destinataire :")), strong=True)
    text(
        340,
        height - 134,
        rng.choice(
            ("Société Durand & Fils", "Mairie de Saint-Jean", "Hôtel du Parc SAS", "Restaurant Le Zinc")
        ),
    )
    text(340, height - 146, f"{rng.randint(1, 99)} avenue des Champs")
    text(340, height - 158, f"{rng.randint(10, 95)}100 {rng.choice(CITIES)}")
    text(340, height - 170, f"SIREN client : {customer_siren}")
    text(340, height - 182, f"N° TVA client : {vat_number(customer_siren)}")

    title_word = "AVOIR" if layout == "avoir" else "FACTURE"
    y = height - 220
    if layout == "header_table":
        text(40, y, title_word, 16, strong=True)
        y -= 30
        headers = (
            rng.choice(("Numéro", "N° de facture", "Facture n°")),
            rng.choice(("Date", "Date de facture", "Date d'émission")),
            rng.choice(("Échéance", "Date d'échéance", "À payer avant le")),
            rng.choice(("Votre commande", "Réf. commande", "N° de commande")),
        )
        for column, label in enumerate(headers):
            text(40 + column * 130, y, label, 9, strong=True)
        for column, value in enumerate((number, style.date(issue), style.date(due), order)):
            text(40 + column * 130, y - 14, value, 10)
        y -= 50
    else:
        label = rng.choice((f"{title_word} N° ", f"{title_word} n°", f"{title_word} : ", f"{title_word} "))
        text(40, y, label + number, 16, strong=True)
        y -= 24
        issue_label = rng.choice(("Date de facture :", "Date :", "Date d'émission :", "Émise le"))
        text(40, y, f"{issue_label} {style.date(issue)}")
        y -= 14
        if layout != "micro" or rng.random() < 0.7:
            due_label = rng.choice(
                ("Date d'échéance :", "Échéance :", "À régler avant le", "Date limite de paiement :")
            )
            text(40, y, f"{due_label} {style.date(due)}")
            y -= 14
        else:
            due = None  # type: ignore[assignment]
        text(40, y, f"{rng.choice(('Votre commande :', 'Bon de commande n°', 'Votre référence :'))} {order}")
        y -= 14
        if layout == "avoir":
            text(
                40,
                y,
                f"Facture d'origine : FA-{issue.year}-{rng.randint(1, 999):04d} du {style.date(issue - timedelta(days=20))}",
            )
            y -= 14
        y -= 20

    # Item table.
    text(40, y, "Désignation", 9, strong=True)
    text(300, y, "Qté", 9, strong=True, right=True)
    text(390, y, "P.U. HT", 9, strong=True, right=True)
    if layout != "micro":
        text(440, y, "TVA", 9, strong=True, right=True)
    text(550, y, "Montant HT", 9, strong=True, right=True)
    y -= 16
    for item, quantity, unit, rate, net in lines:
        text(40, y, item, 9)
        text(300, y, str(quantity), 9, right=True)
        text(390, y, style.amount(unit), 9, right=True)
        if layout != "micro":
            text(440, y, f"{rate}".replace(".", ",") + " %", 9, right=True)
        text(550, y, style.amount(net * sign), 9, right=True)
        y -= 14
    y -= 20

    # Totals.
    if layout == "micro":
        text(360, y, rng.choice(("Total à payer", "Net à payer", "Total")), 11, strong=True)
        text(550, y, style.amount(total_ttc), 11, strong=True, right=True)
        y -= 18
        text(40, y, "TVA non applicable, art. 293 B du CGI", 9)
        y -= 14
    elif layout == "header_table":
        for column, (label, value) in enumerate(
            (
                ("Montant HT", total_ht),
                ("TVA 20 %", total_tva),
                (rng.choice(("Net à payer", "Total TTC")), total_ttc),
            )
        ):
            text(250 + column * 110, y, label, 9, strong=True)
            text(250 + column * 110, y - 14, style.amount(value), 10)
        y -= 40
    else:
        if layout == "multi_rate":
            text(300, y, "Taux", 9, strong=True)
            text(380, y, "Base HT", 9, strong=True)
            text(470, y, "Montant TVA", 9, strong=True)
            y -= 14
            for rate, base, vat in breakdown:
                text(300, y, f"TVA {rate}".replace(".", ",") + " %", 9)
                text(380, y, style.amount(base), 9)
                text(470, y, style.amount(vat), 9)
                y -= 14
            y -= 6
        text(360, y, rng.choice(("Total HT", "Total hors taxes", "Montant HT")), 10)
        text(550, y, style.amount(total_ht), 10, right=True)
        y -= 14
        vat_label = (
            "Total TVA"
            if layout == "multi_rate"
            else rng.choice(("TVA 20 %", "Total TVA", "Montant TVA (20 %)"))
        )
        text(360, y, vat_label, 10)
        text(550, y, style.amount(total_tva), 10, right=True)
        y -= 14
        text(360, y, rng.choice(("Total TTC", "Net à payer", "Montant TTC")), 11, strong=True)
        text(550, y, style.amount(total_ttc), 11, strong=True, right=True)
        y -= 24

    # Payment block and legal footer.
    grouped_iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    text(
        40,
        y - 10,
        rng.choice(("Règlement par virement :", "Coordonnées bancaires :", "Paiement :")),
        9,
        strong=True,
    )
    text(40, y - 24, f"IBAN : {grouped_iban}   BIC : {rng.choice(('AGRIFRPP', 'BNPAFRPP', 'CMCIFRPP'))}", 9)
    text(
        40,
        y - 38,
        "Pénalités de retard : 3 fois le taux d'intérêt légal. Indemnité forfaitaire de recouvrement : 40 €.",
        7,
    )
    spaced_siren = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    if layout == "micro":
        footer = f"{name} - Entrepreneur individuel - SIRET : {siret} - {city}"
    else:
        footer = rng.choice(
            (
                f"{name} {form} au capital de {rng.choice(('5 000', '10 000', '37 500'))} € - RCS {city} {spaced_siren} - SIRET {siret} - N° TVA intracommunautaire : {vat_number(siren)}",
                f"{form} {name} - Capital social {rng.choice(('1 000', '8 000'))} € - SIREN {siren} - TVA {vat_number(siren)}",
            )
        )
    text(40, 40, footer, 7)
    pdf.showPage()
    pdf.save()

    truth: dict[str, object] = {
        "issuer_name": name,
        "siren": siren,
        "siret": siret if (layout == "micro" or "SIRET" in footer) else None,
        "vat_number": None if layout == "micro" else vat_number(siren),
        "invoice_number": number,
        "issue_date": issue,
        "due_date": due,
        "currency": "EUR",
        # Credit notes: printed negative, extracted as positive magnitudes (the type carries the sign).
        "total_ht": abs(total_ht),
        "total_tva": abs(total_tva),
        "total_ttc": abs(total_ttc),
        "iban": iban,
        "order_reference": order,
        "doc_type": "avoir" if layout == "avoir" else "facture",
    }
    return SyntheticInvoice(pdf=buffer.getvalue(), truth=truth, layout=layout, breakdown=breakdown)
