"""The readable side of a Factur-X invoice: a branded French PDF/A-3 page, with the CII XML attached.

Steps: ReportLab draws the page (embedded TrueType fonts, as PDF/A requires; `invariant=1` so the same
invoice always gives the same bytes), pikepdf adds the sRGB output intent PDF/A asks for, then the
`factur-x` library attaches `factur-x.xml` (AFRelationship /Data) and writes the PDF/A-3 XMP metadata
with the Factur-X extension schema. Only frozen data (the invoice's snapshots) is drawn.
"""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from etabli.billing.models import DocType, Invoice, OperationCategory, Quote
from etabli.billing.rules import format_rate
from etabli.common.formats import format_date, format_eur, format_number

logger = logging.getLogger(__name__)

TITLES = {DocType.INVOICE: "FACTURE", DocType.DEPOSIT: "FACTURE D'ACOMPTE", DocType.CREDIT_NOTE: "AVOIR"}
ACCENT = colors.HexColor("#7a4a1e")
LIGHT = colors.HexColor("#f3ece4")
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """Register an embeddable TrueType font pair once per process: DejaVu if installed, else the Bitstream
    Vera fonts shipped with ReportLab."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("EtabliSans", regular))
            pdfmetrics.registerFont(TTFont("EtabliSans-Bold", bold))
            pdfmetrics.registerFontFamily(
                "EtabliSans",
                normal="EtabliSans",
                bold="EtabliSans-Bold",
                italic="EtabliSans",
                boldItalic="EtabliSans-Bold",
            )
            return "EtabliSans", "EtabliSans-Bold"
    import reportlab

    base = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("EtabliSans", str(base / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("EtabliSans-Bold", str(base / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(
        "EtabliSans",
        normal="EtabliSans",
        bold="EtabliSans-Bold",
        italic="EtabliSans",
        boldItalic="EtabliSans-Bold",
    )
    return "EtabliSans", "EtabliSans-Bold"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _t(text: object) -> str:
    """Escape for ReportLab paragraphs; the narrow no-break space becomes a plain no-break space (not every
    font has U+202F)."""
    return escape(str(text or "")).replace("\u202f", "\xa0").replace("\n", "<br/>")


def _eur(value) -> str:
    return format_eur(value).replace("\u202f", "\xa0")


def _qty(value: Decimal) -> str:
    value = Decimal(value).normalize()
    exponent = value.as_tuple().exponent
    decimals = min(max(0, -exponent), 3) if isinstance(exponent, int) else 0
    return format_number(value, decimals).replace("\u202f", "\xa0")


class _Styles:
    def __init__(self) -> None:
        regular, bold = fonts()
        self.normal = ParagraphStyle("n", fontName=regular, fontSize=8.5, leading=11)
        self.small = ParagraphStyle(
            "s", fontName=regular, fontSize=7, leading=9, textColor=colors.HexColor("#444444")
        )
        self.bold = ParagraphStyle("b", parent=self.normal, fontName=bold)
        self.right = ParagraphStyle("r", parent=self.normal, alignment=TA_RIGHT)
        self.right_bold = ParagraphStyle("rb", parent=self.bold, alignment=TA_RIGHT)
        self.title = ParagraphStyle(
            "t", fontName=bold, fontSize=16, leading=20, textColor=ACCENT, alignment=TA_RIGHT
        )
        self.company = ParagraphStyle("c", fontName=bold, fontSize=12, leading=15, textColor=ACCENT)
        self.regular, self.bold_font = regular, bold


def _logo(path: str):
    if not path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        scale = min(40 * mm / width, 18 * mm / height)
        return Image(io.BytesIO(data), width=width * scale, height=height * scale)
    except Exception:  # a missing or unreadable logo never blocks an invoice
        logger.warning("Logo illisible : %s", path)
        return None


def _table_style(styles: _Styles, commands: list) -> TableStyle:
    """Every table cell in our embedded font (ReportLab's default cell font is the non-embedded Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.regular), *commands])


def _party_block(styles: _Styles, title: str, lines: list[str]) -> list:
    return [
        Paragraph(_t(title), styles.small),
        *[Paragraph(_t(line), styles.normal) for line in lines if line],
    ]


def render_document(
    *,
    kind: str,
    number: str,
    seller: dict,
    buyer: dict,
    lines: list[dict],
    vat_rows: list[dict],
    totals: dict,
    facts: list[tuple[str, str]],
    mentions: list[str],
    footer: str,
    payment: list[str],
) -> bytes:
    """Draw one business document (invoice, credit note, quote) as PDF bytes."""
    styles = _Styles()
    buffer = io.BytesIO()
    title = f"{kind} {number}".strip()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=seller.get("legal_name", ""),
        subject=title,
        creator="Établi",
        lang="fr-FR",
        invariant=1,
        # The canvas starts with our embedded font: PDF/A forbids the (non-embedded) default Helvetica.
        initialFontName=styles.regular,
        initialFontSize=8.5,
        initialLeading=11,
    )
    story: list = []
    logo = _logo(seller.get("logo", ""))
    seller_lines = [
        seller.get("address_line1"),
        seller.get("address_line2"),
        f"{seller.get('postcode', '')} {seller.get('city', '')}".strip(),
        " — ".join(filter(None, [seller.get("phone"), seller.get("email")])),
        seller.get("website"),
    ]
    left = [logo] if logo else []
    left += [Paragraph(_t(seller.get("trade_name") or seller.get("legal_name")), styles.company)]
    left += [Paragraph(_t(line), styles.normal) for line in seller_lines if line]
    right = [Paragraph(_t(kind), styles.title), Paragraph(_t(f"N° {number}"), styles.right_bold)]
    right += [Paragraph(f"{_t(label)} : <b>{_t(value)}</b>", styles.right) for label, value in facts[:3]]
    header = Table([[left, right]], colWidths=[95 * mm, 83 * mm])
    header.setStyle(
        _table_style(styles, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [header, Spacer(1, 6 * mm)]
    buyer_lines = [
        buyer.get("name"),
        buyer.get("address_line1"),
        buyer.get("address_line2"),
        f"{buyer.get('postcode', '')} {buyer.get('city', '')}".strip(),
    ]
    if buyer.get("country") and buyer.get("country") != "FR":
        buyer_lines.append(buyer["country"])
    if buyer.get("siren"):
        buyer_lines.append(f"SIREN {buyer['siren']}")
    if buyer.get("vat_number"):
        buyer_lines.append(f"TVA {buyer['vat_number']}")
    blocks = [_party_block(styles, "Facturé à", buyer_lines)]
    if buyer.get("delivery_line1"):
        blocks.append(
            _party_block(
                styles,
                "Adresse de livraison",
                [
                    buyer.get("delivery_line1"),
                    f"{buyer.get('delivery_postcode', '')} {buyer.get('delivery_city', '')}".strip(),
                ],
            )
        )
    else:
        blocks.append([Paragraph("", styles.normal)])
    parties = Table([blocks], colWidths=[89 * mm, 89 * mm])
    parties.setStyle(
        _table_style(
            styles,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (0, 0), 0.5, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )
    )
    story += [parties, Spacer(1, 4 * mm)]
    if len(facts) > 3:
        story.append(
            Paragraph(
                " · ".join(f"{_t(label)} : <b>{_t(value)}</b>" for label, value in facts[3:]), styles.normal
            )
        )
        story.append(Spacer(1, 3 * mm))
    head = ["Désignation", "Qté", "Unité", "PU HT", "Rem.", "TVA", "Total HT"]
    rows = [
        [Paragraph(f"<b>{_t(h)}</b>", styles.normal if i == 0 else styles.right) for i, h in enumerate(head)]
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(_t(line["description"]), styles.normal),
                Paragraph(_qty(line["quantity"]), styles.right),
                Paragraph(_t(line["unit"]), styles.normal),
                Paragraph(_eur(line["unit_price"]), styles.right),
                Paragraph(
                    f"{format_rate(line['discount_percent'])} %" if line["discount_percent"] else "",
                    styles.right,
                ),
                Paragraph(f"{format_rate(line['vat_rate'])} %", styles.right),
                Paragraph(_eur(line["net_amount"]), styles.right),
            ]
        )
    table = Table(
        rows, colWidths=[74 * mm, 15 * mm, 14 * mm, 23 * mm, 14 * mm, 13 * mm, 25 * mm], repeatRows=1
    )
    table.setStyle(
        _table_style(
            styles,
            [
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    vat_table_rows = [
        [
            Paragraph("<b>TVA</b>", styles.normal),
            Paragraph("<b>Base HT</b>", styles.right),
            Paragraph("<b>Montant</b>", styles.right),
        ]
    ]
    for row in vat_rows:
        label = f"{format_rate(row['rate'])} %"
        if row.get("category", "S") != "S":
            label += f" — {row.get('exemption') or 'exonéré'}"
        vat_table_rows.append(
            [
                Paragraph(_t(label), styles.normal),
                Paragraph(_eur(row["base"]), styles.right),
                Paragraph(_eur(row["vat"]), styles.right),
            ]
        )
    vat_table = Table(vat_table_rows, colWidths=[50 * mm, 25 * mm, 22 * mm])
    vat_table.setStyle(
        _table_style(styles, [("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    total_rows = [
        [
            Paragraph(_t(label), styles.bold if strong else styles.normal),
            Paragraph(_eur(value), styles.right_bold if strong else styles.right),
        ]
        for label, value, strong in totals["rows"]
    ]
    total_table = Table(total_rows, colWidths=[45 * mm, 30 * mm])
    total_table.setStyle(
        _table_style(
            styles, [("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, -1), (-1, -1), LIGHT)]
        )
    )
    summary = Table([[vat_table, total_table]], colWidths=[100 * mm, 78 * mm])
    summary.setStyle(
        _table_style(styles, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [KeepTogether([summary]), Spacer(1, 5 * mm)]
    if payment:
        story.append(
            KeepTogether(
                [
                    Paragraph("<b>Règlement</b>", styles.normal),
                    *[Paragraph(_t(p), styles.normal) for p in payment],
                ]
            )
        )
        story.append(Spacer(1, 3 * mm))
    story += [Paragraph(_t(m), styles.small) for m in mentions if m]

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(styles.regular, 6.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(A4[0] / 2, 10 * mm, footer[:190].replace("\u202f", "\xa0"))
        canvas.drawRightString(A4[0] - 16 * mm, 6 * mm, f"{title} — page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def add_output_intent(pdf: bytes) -> bytes:
    """PDF/A needs an output intent with an ICC profile: sRGB, made by LittleCMS through Pillow."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        profile = pikepdf.Stream(document, srgb_profile())
        profile["/N"] = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name("/OutputIntent"),
            S=pikepdf.Name("/GTS_PDFA1"),
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"),
            DestOutputProfile=document.make_indirect(profile),
        )
        document.Root.OutputIntents = pikepdf.Array([document.make_indirect(intent)])
        document.Root.Lang = pikepdf.String("fr-FR")
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


def invoice_document(invoice: Invoice) -> dict:
    """What the page shows, from the invoice's frozen snapshots."""
    seller, buyer, mentions = invoice.seller, invoice.buyer, invoice.legal_mentions or {}
    facts = [("Date", format_date(invoice.issue_date))]
    if invoice.doc_type != DocType.CREDIT_NOTE:
        facts.append(("Échéance", format_date(invoice.due_date)))
    if invoice.doc_type == DocType.CREDIT_NOTE and invoice.related_invoice_id:
        facts.append(
            (
                "Avoir sur facture",
                f"{invoice.related_invoice.number} du {format_date(invoice.related_invoice.issue_date)}",
            )
        )
    if invoice.delivery_date and invoice.delivery_date != invoice.issue_date:
        facts.append(("Livraison / exécution", format_date(invoice.delivery_date)))
    if invoice.order_reference:
        facts.append(("Votre commande", invoice.order_reference))
    if invoice.quote_id:
        facts.append(("Devis", invoice.quote.number))
    if invoice.operation_category:
        facts.append(("Opération", OperationCategory(invoice.operation_category).label))
    if buyer.get("siren"):
        facts.append(("SIREN client", buyer["siren"]))
    due = invoice.total_ttc - invoice.prepaid_amount
    rows = [
        ("Total HT", invoice.total_ht, False),
        ("Total TVA", invoice.total_tva, False),
        ("Total TTC", invoice.total_ttc, invoice.prepaid_amount == 0),
    ]
    if invoice.prepaid_amount:
        rows += [("Déjà réglé", invoice.prepaid_amount, False), ("Net à payer", due, True)]
    payment = []
    if invoice.doc_type != DocType.CREDIT_NOTE:
        payment.append(
            f"À régler au plus tard le {format_date(invoice.due_date)} — {mentions.get('terms', '')}."
        )
        if seller.get("iban"):
            payment.append(
                f"Virement : IBAN {seller['iban']}"
                + (f" — BIC {seller['bic']}" if seller.get("bic") else "")
                + f" — référence {invoice.number}"
            )
    else:
        payment.append("Montant porté à votre crédit, imputé sur la facture corrigée ou remboursé.")
    texts = [
        mentions.get(k, "")
        for k in (
            "operation",
            "vat_on_debits",
            "vat_exemption",
            "discount",
            "penalties",
            "indemnity",
            "extra",
        )
    ]
    if invoice.notes:
        texts.insert(0, invoice.notes)
    texts.append(
        "Facture électronique au format Factur-X (profil EN 16931) : les données structurées sont jointes "
        "à ce PDF (factur-x.xml)."
    )
    return {
        "kind": TITLES[invoice.doc_type],
        "number": invoice.number,
        "seller": seller,
        "buyer": buyer,
        "lines": [
            {
                "description": l.description,
                "quantity": l.quantity,
                "unit": l.unit,
                "unit_price": l.unit_price,
                "discount_percent": l.discount_percent,
                "vat_rate": l.vat_rate,
                "net_amount": l.net_amount,
            }
            for l in invoice.lines.all()
        ],
        "vat_rows": invoice.vat_breakdown,
        "totals": {"rows": rows},
        "facts": facts,
        "mentions": texts,
        "footer": mentions.get("seller", ""),
        "payment": payment,
    }


def render_invoice_pdf(invoice: Invoice, xml: bytes) -> bytes:
    """The Factur-X PDF/A-3 of an issued invoice."""
    from facturx import generate_from_binary

    page = add_output_intent(render_document(**invoice_document(invoice)))
    title = f"{TITLES[invoice.doc_type].capitalize()} {invoice.number}"
    metadata = {
        "author": invoice.seller.get("legal_name", ""),
        "keywords": "Factur-X, facture",
        "title": title,
        "subject": f"{title} du {format_date(invoice.issue_date)} — {invoice.buyer.get('name', '')}",
    }
    return generate_from_binary(
        page, xml, flavor="factur-x", level="en16931", check_xsd=False, pdf_metadata=metadata, lang="fr-FR"
    )


def render_quote_pdf(quote: Quote, seller: dict, buyer: dict, vat_rows: list[dict]) -> bytes:
    from datetime import timedelta

    facts = [
        ("Date", format_date(quote.issue_date)),
        ("Valable jusqu'au", format_date(quote.issue_date + timedelta(days=quote.validity_days))),
    ]
    if quote.order_reference:
        facts.append(("Votre référence", quote.order_reference))
    if quote.title:
        facts.append(("Objet", quote.title))
    lines = [
        {
            "description": l.description,
            "quantity": l.quantity,
            "unit": l.unit,
            "unit_price": l.unit_price,
            "discount_percent": l.discount_percent,
            "vat_rate": l.vat_rate,
            "net_amount": l.net_amount,
        }
        for l in quote.lines.all()
    ]
    rows = [
        ("Total HT", quote.total_ht, False),
        ("Total TVA", quote.total_tva, False),
        ("Total TTC", quote.total_ttc, True),
    ]
    mentions = [
        quote.notes,
        "Devis gratuit. Bon pour accord : date, signature et mention « bon pour accord ».",
    ]
    return render_document(
        kind="DEVIS",
        number=quote.number,
        seller=seller,
        buyer=buyer,
        lines=lines,
        vat_rows=vat_rows,
        totals={"rows": rows},
        facts=facts,
        mentions=mentions,
        footer=" — ".join(
            filter(None, [seller.get("legal_name"), seller.get("siren") and f"SIREN {seller['siren']}"])
        ),
        payment=[],
    )
