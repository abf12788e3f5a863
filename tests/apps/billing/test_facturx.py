"""Factur-X: the issued PDF is PDF/A-3 with the CII XML attached (profile EN 16931, XSD-valid), readable
in French with every mandatory mention, branded with the logo — and the round trip issue → extract → same
fields holds, through the `factur-x` library and through our own importer."""

import io
from decimal import Decimal

import pikepdf
import pytest
from django.core.files.base import ContentFile
from facturx import get_xml_from_pdf, parse_ubl_cii_xml, xml_check_xsd
from PIL import Image
from pypdf import PdfReader

from etabli.billing import services
from etabli.billing.services.output import pdf_bytes
from etabli.common.formats import format_date
from tests.apps.billing.factories import make_customer, setup_company
from tests.factories import make_company

pytestmark = pytest.mark.django_db

RICH_LINES = [
    {
        "sku": "FEN-BOIS",
        "description": "Fenêtre bois double vitrage sur mesure",
        "quantity": 3,
        "unit": "u",
        "unit_price": Decimal("890.00"),
        "vat_rate": 20,
        "discount_percent": 5,
        "item_kind": "goods",
    },
    {
        "description": "Pose et ajustage",
        "quantity": Decimal("6.5"),
        "unit": "h",
        "unit_price": 52,
        "vat_rate": 20,
        "item_kind": "service",
    },
    {
        "description": "Remplacement de fenêtres, rénovation énergétique",
        "quantity": 2,
        "unit": "u",
        "unit_price": 760,
        "vat_rate": Decimal("5.5"),
        "item_kind": "goods",
    },
]


@pytest.fixture
def rich_invoice(billing_company):
    customer = make_customer(
        billing_company,
        name="SCI Les Tonneliers",
        delivery_line1="Chantier 8 quai de la Fosse",
        delivery_postal_code="44000",
        delivery_city="Nantes",
    )
    quote = services.create_quote(
        company=billing_company,
        partner_id=customer.pk,
        lines=RICH_LINES,
        title="Fenêtres",
        order_reference="BC-2026-117",
    )
    services.set_quote_status(company=billing_company, quote_id=quote.pk, status="accepted")
    return services.invoice_from_quote(company=billing_company, quote_id=quote.pk)


def text_of(pdf: bytes) -> str:
    return (
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )


def test_round_trip_issue_extract_same_fields(rich_invoice):
    invoice = rich_invoice
    pdf = pdf_bytes(invoice)
    filename, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    data = parse_ubl_cii_xml(xml)
    assert data["BT-24"] == "urn:cen.eu:en16931:2017"
    assert (data["BT-1"], data["BT-2"], data["BT-3"], data["BT-9"]) == (
        invoice.number,
        invoice.issue_date,
        "380",
        invoice.due_date,
    )
    assert (data["BT-13"], data["BT-14"], data["BT-23"]) == (
        "BC-2026-117",
        invoice.quote.number,
        "B1" if invoice.operation_category == "goods" else "M1",
    )
    assert Decimal(data["BT-109"]) == invoice.total_ht
    assert Decimal(data["BT-110"]) == invoice.total_tva
    assert Decimal(data["BT-112"]) == Decimal(data["BT-115"]) == invoice.total_ttc
    assert [(Decimal(r["BT-119"]), Decimal(r["BT-116"]), Decimal(r["BT-117"])) for r in data["BG-23"]] == [
        (Decimal(r["rate"]), Decimal(r["base"]), Decimal(r["vat"])) for r in invoice.vat_breakdown
    ]
    lines = list(invoice.lines.all())
    assert [
        (l["BT-153"], Decimal(l["BT-129"]), Decimal(l["BT-131"]), Decimal(l["BT-152"])) for l in data["BG-25"]
    ] == [(l.description, l.quantity, l.net_amount, l.vat_rate) for l in lines]
    assert data["BG-25"][0]["BT-130"] == "C62" and data["BG-25"][1]["BT-130"] == "HUR"
    assert data["BG-4"]["legal_identifier"] == invoice.seller["siren"]
    assert data["BG-4"]["vat_identifier"] == invoice.seller["vat_number"]
    assert data["BG-7"]["legal_identifier"] == invoice.buyer["siren"]  # 2026 mention: customer SIREN
    assert data["BG-13"]["addr_l1"] == "Chantier 8 quai de la Fosse"  # 2026 mention: delivery address
    notes = {n["BT-21"]: n["BT-22"] for n in data["BG-1"]}
    assert "12,15 %" in notes["PMD"] and "40,00" in notes["PMT"] and "escompte" in notes["AAB"]


def test_round_trip_through_our_own_importer(rich_invoice):
    other = setup_company(
        make_company("Client importateur"),
        siren=rich_invoice.buyer["siren"],
        siret="",
        vat_number=rich_invoice.buyer["vat_number"],
    )
    result = services.import_einvoice(
        company=other, data=pdf_bytes(rich_invoice), filename="facture.pdf", direction="auto"
    )
    assert (
        result.direction == "supplier"
        and result.syntax == "cii"
        and result.profile == "urn:cen.eu:en16931:2017"
    )
    imported = result.invoice
    assert (imported.number, imported.issue_date, imported.due_date) == (
        rich_invoice.number,
        rich_invoice.issue_date,
        rich_invoice.due_date,
    )
    assert (imported.total_ht, imported.total_tva, imported.total_ttc, imported.amount_open) == (
        rich_invoice.total_ht,
        rich_invoice.total_tva,
        rich_invoice.total_ttc,
        rich_invoice.total_ttc,
    )
    assert result.partner.siren == rich_invoice.seller["siren"] and result.partner.created
    from etabli.billing.models import Invoice

    stored = Invoice.objects.get(pk=imported.id)
    assert stored.vat_breakdown == [{**r, "exemption": ""} for r in rich_invoice.vat_breakdown]
    assert [(l.description, l.quantity, l.net_amount) for l in stored.lines.all()] == [
        (l.description, l.quantity, l.net_amount) for l in rich_invoice.lines.all()
    ]


def test_pdf_is_pdf_a3_with_the_xml_attached_and_fonts_embedded(rich_invoice):
    pdf = pdf_bytes(rich_invoice)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        intents = document.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFA1" and intents[0].DestOutputProfile.N == 3
        metadata = document.open_metadata()
        assert metadata["pdfaid:part"] == "3" and metadata["pdfaid:conformance"] == "B"
        fx = "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}"
        assert (
            metadata[fx + "ConformanceLevel"] == "EN 16931"
            and metadata[fx + "DocumentFileName"] == "factur-x.xml"
        )
        assert str(document.Root.Lang) == "fr-FR"
        attachment = document.attachments["factur-x.xml"]
        assert attachment.obj.AFRelationship == "/Data"
        fonts = [font for page in document.pages for font in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant.FontDescriptor, f"police non incorporée : {font.BaseFont}"


def test_pdf_is_readable_and_carries_every_mandatory_mention(rich_invoice):
    invoice = rich_invoice
    text = text_of(pdf_bytes(invoice))
    seller, buyer = invoice.seller, invoice.buyer
    expected = [
        "FACTURE",
        invoice.number,
        f"Date : {format_date(invoice.issue_date)}",
        f"Échéance : {format_date(invoice.due_date)}",
        seller["legal_name"],
        "12 rue des Artisans",
        "44300 Nantes",
        f"SIREN {seller['siren']}",
        f"SIRET {seller['siret']}",
        "SARL au capital de 20 000,00 €",
        "RCS Nantes",
        f"TVA intracommunautaire {seller['vat_number']}",
        buyer["name"],
        f"SIREN {buyer['siren']}",
        f"TVA {buyer['vat_number']}",
        "Adresse de livraison",
        "Chantier 8 quai de la Fosse",
        "Opération mixte (biens et services)",
        "Votre commande : BC-2026-117",
        f"Devis : {invoice.quote.number}",
        "Fenêtre bois double vitrage sur mesure",
        "890,00 €",
        "5 %",
        "5,5 %",
        "Total HT",
        "Total TVA",
        "Total TTC",
        "Pas d'escompte pour paiement anticipé",
        "majoré de 10 points, soit 12,15 % l'an",
        "Indemnité forfaitaire pour frais de recouvrement",
        "40,00 €",
        "Factur-X",
    ]
    for needle in expected:
        assert needle in text, f"mention absente du PDF : {needle}"
    from etabli.common.formats import format_eur

    assert format_eur(invoice.total_ttc).replace("\u202f", " ").replace("\xa0", " ") in text


def test_vat_on_debits_option_is_printed(billing_company):
    from etabli.core.services.companies import update_company

    update_company(company=billing_company, vat_on_debits=True)
    customer = make_customer(billing_company)
    draft = services.create_invoice(
        company=billing_company,
        partner_id=customer.pk,
        lines=[
            {
                "description": "Étude et prise de cotes",
                "quantity": 1,
                "unit_price": 150,
                "vat_rate": 20,
                "item_kind": "service",
            }
        ],
    )
    invoice = services.issue_invoice(company=billing_company, invoice_id=draft.pk)
    text = text_of(pdf_bytes(invoice))
    assert "Option pour le paiement de la taxe d'après les débits" in text
    data = parse_ubl_cii_xml(get_xml_from_pdf(pdf_bytes(invoice), check_xsd=True)[1])
    assert data["BT-8"] == "invoice" and data["BT-23"] == "S1"


def test_logo_brands_the_pdf(billing_company, customer):
    image = Image.new("RGB", (200, 80), (122, 74, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    billing_company.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    draft = services.create_invoice(company=billing_company, partner_id=customer.pk, lines=RICH_LINES[:1])
    invoice = services.issue_invoice(company=billing_company, invoice_id=draft.pk)
    with pikepdf.open(io.BytesIO(pdf_bytes(invoice))) as document:
        images = [x for x in document.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
    assert images and int(images[0].Width) == 200


def test_pdf_is_stored_once_with_its_hash_and_never_rebuilt(rich_invoice):
    import hashlib

    rich_invoice.refresh_from_db()
    first = pdf_bytes(rich_invoice)
    assert rich_invoice.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert pdf_bytes(rich_invoice) == first


def test_credit_note_xml_references_the_corrected_invoice(billing_company, customer):
    draft = services.create_invoice(company=billing_company, partner_id=customer.pk, lines=RICH_LINES[:2])
    invoice = services.issue_invoice(company=billing_company, invoice_id=draft.pk)
    note = services.create_credit_note(company=billing_company, invoice_id=invoice.pk, reason="Annulation")
    data = parse_ubl_cii_xml(get_xml_from_pdf(pdf_bytes(note), check_xsd=True)[1])
    assert data["BT-3"] == "381" and data["BG-3"][0]["BT-25"] == invoice.number
    assert "AVOIR" in text_of(pdf_bytes(note))
