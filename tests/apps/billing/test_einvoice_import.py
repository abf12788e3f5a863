"""Import of incoming e-invoices: every file of ../shared/datasets/invoices/facturx/ is either stored with its
fields exactly as written in the XML (expected values read from each file), or refused in French with
nothing written (Order-X orders). Malformed, hostile or unrelated files are refused; duplicates too."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from etabli.billing import services
from etabli.billing.errors import BillingError
from etabli.billing.models import Invoice, Partner
from tests.apps.billing.factories import setup_company

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "invoices" / "facturx"
needs_dataset = pytest.mark.skipif(not DATA.is_dir(), reason="jeu de données facturx absent (../shared/datasets)")
D = Decimal
FNFE_IBAN = "FR2012421242124212421242124"
AKR_IBAN = "FR2012542547256985425874698"
UBL = (
    "ubl",
    "invoice",
    "F124212",
    dt.date(2026, 6, 17),
    dt.date(2026, 6, 17) + dt.timedelta(days=29),
    "Au bon moulin",
    "999999998",
    D("273.00"),
    D("35.03"),
    D("308.03"),
    D("208.03"),
    2,
    2,
    FNFE_IBAN,
)
FX_FULL = (
    "cii",
    "invoice",
    "F20260023",
    dt.date(2026, 1, 31),
    dt.date(2026, 3, 2),
    "LE FOURNISSEUR",
    "123456782",
    D("100.00"),
    D("4.90"),
    D("104.90"),
    D("104.90"),
    4,
    3,
    AKR_IBAN,
)
FNFE_FR = (
    "cii",
    "invoice",
    "FA-2017-0010",
    dt.date(2017, 11, 13),
    dt.date(2017, 12, 13),
    "Au bon moulin",
    "999999998",
    D("624.90"),
    D("46.25"),
    D("671.15"),
    D("470.15"),
    2,
    0,
    FNFE_IBAN,
)
FNFE_DOM = (
    "cii",
    "invoice",
    "FA-2017-0009",
    dt.date(2017, 11, 5),
    dt.date(2017, 12, 5),
    "Au bon moulin",
    "999999998",
    D("530.75"),
    D("0.00"),
    D("530.75"),
    D("383.75"),
    1,
    0,
    FNFE_IBAN,
)
FNFE_UE = (
    "cii",
    "invoice",
    "FA-2017-0008",
    dt.date(2017, 11, 3),
    dt.date(2017, 12, 3),
    "Au bon moulin",
    "999999998",
    D("2076.76"),
    D("0.00"),
    D("2076.76"),
    D("1453.76"),
    1,
    0,
    FNFE_IBAN,
)
AVOIR = (
    "cii",
    "credit_note",
    "AV-2017-0005",
    dt.date(2017, 11, 16),
    dt.date(2017, 11, 16),
    "Au bon moulin",
    "999999998",
    D("218.48"),
    D("14.99"),
    D("233.47"),
    D("233.47"),
    2,
    2,
    "",
)


def minimum(values, due=None):
    """MINIMUM profile: header and totals only — no VAT breakdown, no lines, no due date nor IBAN."""
    syntax, doc_type, number, issued, _due, name, siren, ht, tva, ttc, due_amount, _rows, _lines, _iban = (
        values
    )
    return (syntax, doc_type, number, issued, due or issued, name, siren, ht, tva, ttc, due_amount, 0, 0, "")


# (syntax, doc type, number, issue date, due date, supplier, supplier SIREN, HT, TVA, TTC, amount due,
#  VAT rows, lines, supplier IBAN) — read from each XML file. Due date absent → the issue date (and a warning).
EXPECTED = {
    "akretion_fixtures/factur-x-basic.xml": FX_FULL,
    "akretion_fixtures/factur-x-basicwl.xml": FX_FULL[:11] + (4, 0, AKR_IBAN),
    "akretion_fixtures/factur-x-en16931.xml": FX_FULL,
    "akretion_fixtures/factur-x-extended.xml": FX_FULL,
    "akretion_fixtures/factur-x-minimum.xml": minimum(FX_FULL),
    "akretion_fixtures/invoice_EN16931.pdf": FX_FULL,
    "akretion_fixtures/ubl-21-en16931.xml": UBL,
    "akretion_fixtures/ubl-21-extended-ctc-fr.xml": UBL,
    "akretion_fixtures/zugferd-basic.xml": (
        "zugferd1",
        "invoice",
        "471102",
        dt.date(2013, 3, 5),
        dt.date(2013, 3, 5),
        "Lieferant GmbH",
        "",
        D("198.00"),
        D("37.62"),
        D("235.62"),
        D("235.62"),
        1,
        1,
        "DE08700901001234567890",
    ),
    "akretion_fixtures/zugferd-comfort.xml": (
        "zugferd1",
        "invoice",
        "471102",
        dt.date(2013, 3, 5),
        dt.date(2013, 4, 4),
        "Lieferant GmbH",
        "",
        D("473.00"),
        D("56.87"),
        D("529.87"),
        D("529.87"),
        2,
        2,
        "DE08700901001234567890",
    ),
    "akretion_fixtures/zugferd-extended.xml": (
        "zugferd1",
        "invoice",
        "KR87654321012",
        dt.date(2013, 10, 6),
        dt.date(2013, 10, 6),
        "MUSTERLIEFERANT GMBH",
        "",
        D("1056.05"),
        D("200.65"),
        D("1256.70"),
        D("1256.70"),
        1,
        6,
        "",
    ),
    "fnfe/Avoir_FR_type381_BASIC.factur-x.xml": AVOIR,
    "fnfe/Avoir_FR_type381_BASIC.pdf": AVOIR,
    "fnfe/Facture_DOM_BASICWL.factur-x.xml": FNFE_DOM,
    "fnfe/Facture_DOM_BASICWL.pdf": FNFE_DOM,
    "fnfe/Facture_DOM_MINIMUM.factur-x.xml": minimum(FNFE_DOM),
    "fnfe/Facture_DOM_MINIMUM.pdf": minimum(FNFE_DOM),
    "fnfe/Facture_FR_BASICWL.factur-x.xml": FNFE_FR,
    "fnfe/Facture_FR_BASICWL.pdf": FNFE_FR,
    "fnfe/Facture_FR_MINIMUM.factur-x.xml": minimum(FNFE_FR),
    "fnfe/Facture_FR_MINIMUM.pdf": minimum(FNFE_FR),
    "fnfe/Facture_UE_BASICWL.factur-x.xml": FNFE_UE,
    "fnfe/Facture_UE_BASICWL.pdf": FNFE_UE,
    "fnfe/Facture_UE_MINIMUM.factur-x.xml": minimum(FNFE_UE),
    "fnfe/Facture_UE_MINIMUM.pdf": minimum(FNFE_UE),
}
REFUSED = {
    "akretion_fixtures/order-x-basic.xml": "commande (Order-X), pas une facture",
    "akretion_fixtures/order-x-comfort.xml": "commande (Order-X), pas une facture",
}


@needs_dataset
def test_the_table_covers_every_file_of_the_dataset():
    files = {str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file()}
    assert files and files == set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@needs_dataset
def test_every_field_is_imported_exactly(company, name):
    setup_company(company)
    result = services.import_einvoice(
        company=company, data=(DATA / name).read_bytes(), filename=Path(name).name, direction="supplier"
    )
    (syntax, doc_type, number, issued, due, supplier, siren, ht, tva, ttc, amount_due, rows, lines, iban) = (
        EXPECTED[name]
    )
    invoice = Invoice.objects.get(pk=result.invoice.id, company=company)
    assert (result.syntax, result.doc_type, result.direction) == (syntax, doc_type, "supplier")
    assert (invoice.number, invoice.doc_type, invoice.issue_date, invoice.due_date) == (
        number,
        doc_type,
        issued,
        due,
    )
    assert (invoice.total_ht, invoice.total_tva, invoice.total_ttc) == (ht, tva, ttc)
    assert invoice.total_ttc - invoice.prepaid_amount == amount_due
    assert (invoice.partner.name, invoice.partner.siren, invoice.partner.iban) == (supplier, siren, iban)
    assert len(invoice.vat_breakdown) == rows and invoice.lines.count() == lines
    if rows:
        assert sum(D(r["base"]) for r in invoice.vat_breakdown) == ht
        assert sum(D(r["vat"]) for r in invoice.vat_breakdown) == tva
    has_due_date = "DueDate" in invoice.einvoice_xml  # CII DueDateDateTime, UBL cbc:DueDate
    assert any("Échéance absente" in w for w in result.warnings) is not has_due_date
    assert invoice.einvoice_xml.lstrip().startswith("<")  # the XML itself is kept (legal archive)
    if doc_type == "invoice":
        assert result.invoice.amount_open == amount_due


@needs_dataset
def test_line_amounts_are_the_ones_written(company):
    setup_company(company)
    result = services.import_einvoice(
        company=company,
        data=(DATA / "akretion_fixtures/factur-x-en16931.xml").read_bytes(),
        filename="f.xml",
        direction="supplier",
    )
    invoice = Invoice.objects.get(pk=result.invoice.id)
    # BT-153, BT-129, BT-131, BT-151, BT-152 of the three lines, as written in the file
    assert [
        (l.description, l.quantity, l.net_amount, l.vat_category, l.vat_rate) for l in invoice.lines.all()
    ] == [
        ("PRESTATION SUPPORT", D("1.0000"), D("60.00"), "E", D("0.00")),
        ("FOURNITURES PAPIER", D("3.0000"), D("28.00"), "S", D("10.00")),
        ("APPEL", D("1.0000"), D("7.00"), "S", D("20.00")),
    ]
    assert [(r["category"], r["rate"], r["base"], r["vat"]) for r in invoice.vat_breakdown] == [
        ("S", "20", "11.00", "2.20"),
        ("E", "0", "60.00", "0.00"),
        ("S", "10", "27.00", "2.70"),
        ("K", "0", "2.00", "0.00"),
    ]
    assert invoice.order_reference == "PO201925478" and invoice.operation_category == "services"
    assert len(invoice.einvoice_data["allowances"]) == 4 and len(invoice.einvoice_data["charges"]) == 4


@pytest.mark.parametrize("name", sorted(REFUSED))
@needs_dataset
def test_orders_are_refused(company, name):
    with pytest.raises(BillingError) as exc:
        services.import_einvoice(
            company=company, data=(DATA / name).read_bytes(), filename=name, direction="supplier"
        )
    assert REFUSED[name] in exc.value.message
    assert Invoice.objects.count() == 0 and Partner.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (
            b"<rsm:CrossIndustryInvoice xmlns:rsm='urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'>",
            "mal formé",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>',
            "refusé par précaution",
        ),
        (b"<facture><numero>12</numero></facture>", "Format XML non reconnu"),
        (b"%PDF-1.4 pas vraiment un PDF", "illisible"),
        (b"\x89PNG\r\n\x1a\n", "ni un PDF Factur-X ni un fichier XML"),
    ],
)
def test_malformed_or_hostile_files_are_refused_and_nothing_is_written(company, data, message):
    with pytest.raises(BillingError) as exc:
        services.import_einvoice(company=company, data=data, filename="x", direction="supplier")
    assert message in exc.value.message
    assert Invoice.objects.count() == 0 and Partner.objects.count() == 0


def test_a_plain_pdf_without_xml_is_sent_to_the_documents(billing_company, customer):
    from etabli.billing.services.output import quote_pdf_bytes

    quote = services.create_quote(
        company=billing_company,
        partner_id=customer.pk,
        lines=[{"description": "Porte", "quantity": 1, "unit_price": 340, "vat_rate": 20}],
    )
    with pytest.raises(BillingError, match="aucun XML Factur-X joint"):
        services.import_einvoice(
            company=billing_company, data=quote_pdf_bytes(quote), filename="devis.pdf", direction="supplier"
        )


@needs_dataset
def test_inconsistent_totals_are_refused(company):
    xml = (DATA / "akretion_fixtures/ubl-21-en16931.xml").read_bytes().replace(b">308.03<", b">309.03<")
    with pytest.raises(BillingError, match="Totaux incohérents"):
        services.import_einvoice(company=company, data=xml, filename="ubl.xml", direction="supplier")
    assert Invoice.objects.count() == 0


@needs_dataset
def test_the_same_invoice_is_never_imported_twice(company):
    data = (DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes()
    services.import_einvoice(company=company, data=data, filename="a.pdf", direction="supplier")
    with pytest.raises(BillingError) as exc:
        services.import_einvoice(
            company=company,
            data=(DATA / "fnfe/Facture_FR_MINIMUM.factur-x.xml").read_bytes(),
            filename="b.xml",
            direction="supplier",
        )
    assert exc.value.status == 409 and "ne sera pas payée deux fois" in exc.value.message
    assert Invoice.objects.count() == 1 and Partner.objects.count() == 1


@needs_dataset
def test_credit_note_is_imputed_on_the_invoice_it_corrects(company):
    invoice = services.import_einvoice(
        company=company,
        data=(DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes(),
        filename="f.pdf",
        direction="supplier",
    ).invoice
    note = services.import_einvoice(
        company=company,
        data=(DATA / "fnfe/Avoir_FR_type381_BASIC.pdf").read_bytes(),
        filename="a.pdf",
        direction="supplier",
    )
    stored = Invoice.objects.get(pk=invoice.id)
    assert Invoice.objects.get(pk=note.invoice.id).related_invoice_id == invoice.id
    assert stored.amount_open == D("470.15") - D("233.47")
    assert note.warnings == (
        "Vendeur : SIRET « 99999999800010 » invalide (clé de contrôle) — non repris sur la fiche.",
        "Acheteur : SIRET « 78787878400035 » invalide (clé de contrôle) — non repris sur la fiche.",
    )


@needs_dataset
def test_direction_is_detected_from_our_identifiers(company):
    setup_company(company, siren="787878784", siret="", vat_number="FR19787878784")
    result = services.import_einvoice(
        company=company,
        data=(DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes(),
        filename="f.pdf",
        direction="auto",
    )
    assert result.direction == "supplier" and result.partner.name == "Au bon moulin"


@needs_dataset
def test_unknown_direction_is_refused(company):
    setup_company(company)
    with pytest.raises(BillingError, match="Précisez le sens"):
        services.import_einvoice(
            company=company,
            data=(DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes(),
            filename="f.pdf",
            direction="auto",
        )
    assert Invoice.objects.count() == 0


@needs_dataset
def test_import_as_customer_invoice_creates_the_customer(company):
    setup_company(company, siren="999999998", siret="", vat_number="FR11999999998")
    result = services.import_einvoice(
        company=company,
        data=(DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes(),
        filename="f.pdf",
        direction="auto",
    )
    assert result.direction == "customer" and result.partner.created
    assert (result.partner.name, result.partner.siren, result.partner.kind) == (
        "Ma jolie boutique",
        "787878784",
        "customer",
    )
    assert result.invoice.kind == "customer" and result.invoice.amount_open == D("470.15")
    with pytest.raises(BillingError, match="existe déjà"):
        services.import_einvoice(
            company=company,
            data=(DATA / "fnfe/Facture_FR_MINIMUM.pdf").read_bytes(),
            filename="g.pdf",
            direction="customer",
        )
