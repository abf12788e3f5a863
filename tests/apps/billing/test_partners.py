"""Customers and suppliers: identifiers checked with python-stdnum (French refusals, nothing written),
supplier upsert that never overwrites silently, partner look-up by identifiers then fuzzy name."""

import pytest

from etabli.billing import selectors, services
from etabli.billing.errors import BillingError
from etabli.billing.models import Partner
from tests.apps.billing.factories import SIREN, SIRET, VAT, make_customer, valid_siren

pytestmark = pytest.mark.django_db


def test_valid_company_customer_is_created_with_clean_identifiers(company):
    partner = services.create_partner(
        company=company,
        name="Atlantique Habitat",
        siren="732 829 320",
        siret="732 829 320 00074",
        vat_number="fr 44 732829320",
        iban="FR76 3000 4000 0312 3456 7890 143",
        email="Compta@Atlantique.fr",
        delivery_line1="Chantier rue des Mouettes",
        delivery_postal_code="44600",
        delivery_city="Saint-Nazaire",
    )
    assert (partner.siren, partner.siret, partner.vat_number) == (SIREN, SIRET, VAT)
    assert partner.iban == "FR7630004000031234567890143" and partner.email == "compta@atlantique.fr"
    assert partner.delivery_address_lines() == ["Chantier rue des Mouettes", "44600 Saint-Nazaire"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("siren", "732829321", "n'est pas valide (clé de contrôle incorrecte)"),
        ("siren", "1234", "9 chiffres"),
        ("siret", "73282932000075", "SIRET « 73282932000075 » n'est pas valide"),
        ("vat_number", "FR45732829320", "n'est pas valide (clé ou SIREN incorrect)"),
        ("iban", "FR7630004000031234567890144", "L'IBAN"),
    ],
)
def test_invalid_identifier_is_refused_in_french_and_nothing_is_written(company, field, value, message):
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="Client", **{field: value})
    assert message in exc.value.field_errors[field]
    assert Partner.objects.count() == 0


def test_cross_field_checks(company):
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="Client", siren=SIREN, siret="55210055400013")
    assert exc.value.field_errors["siret"] == "Le SIRET doit commencer par le SIREN."
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="Client", siren=valid_siren(3), vat_number=VAT)
    assert exc.value.field_errors["vat_number"] == "Le numéro de TVA ne correspond pas au SIREN."
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="Jeanne", legal_type="person", siren=SIREN)
    assert "particulier" in exc.value.field_errors["siren"]
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="Client", payment_terms_days=90)
    assert "60 jours" in exc.value.field_errors["payment_terms_days"]
    assert Partner.objects.count() == 0


def test_same_siren_twice_for_the_same_kind_is_refused(company):
    services.create_partner(company=company, name="A", siren=SIREN)
    with pytest.raises(BillingError) as exc:
        services.create_partner(company=company, name="A bis", siren=SIREN)
    assert exc.value.status == 409
    # the same company can be both a customer and a supplier
    services.create_partner(company=company, name="A", siren=SIREN, kind="supplier")


def test_upsert_supplier_creates_then_enriches_without_overwriting(company):
    created = services.upsert_supplier(company=company, name="Scierie du Val de Loire SARL", siren=SIREN)
    assert created.created and created.kind == "supplier" and created.conflicts == ()
    enriched = services.upsert_supplier(
        company=company,
        name="SCIERIE DU VAL DE LOIRE",
        vat_number=VAT,
        iban="FR7630004000031234567890143",
        city="Ancenis",
        postal_code="44150",
    )
    # the French VAT number carries the SIREN: found by identifier, not by name
    assert not enriched.created and enriched.id == created.id and enriched.match == "siren"
    partner = Partner.objects.get(pk=created.id)
    assert (partner.vat_number, partner.iban, partner.city) == (VAT, "FR7630004000031234567890143", "Ancenis")
    by_name = services.upsert_supplier(
        company=company, name="SCIERIE DU VAL-DE-LOIRE", email="factures@scierie.fr"
    )
    assert by_name.id == created.id and by_name.match == "name"
    conflict = services.upsert_supplier(
        company=company,
        name="Scierie du Val de Loire",
        siren=SIREN,
        city="Nantes",
        iban="FR7630004000031234567890143",
    )
    assert conflict.match == "siren"
    assert [(c.field, c.existing, c.proposed) for c in conflict.conflicts] == [("city", "Ancenis", "Nantes")]
    partner.refresh_from_db()
    assert partner.city == "Ancenis"  # never overwritten silently
    assert Partner.objects.filter(kind="supplier").count() == 1


def test_upsert_supplier_refuses_invalid_identifiers(company):
    with pytest.raises(BillingError):
        services.upsert_supplier(company=company, name="Fournisseur", siren="123456789")
    assert Partner.objects.count() == 0


def test_find_partner_by_identifiers_then_fuzzy_name(company, other_company):
    customer = make_customer(
        company, name="Cabinet d'architecture Lemoine", iban="FR7630004000031234567890143"
    )
    make_customer(
        other_company,
        name="Cabinet d'architecture Lemoine",
        siren=customer.siren,
        vat_number=customer.vat_number,
    )
    by_siret = selectors.find_partner(company=company, siret=customer.siren + "00013")
    assert by_siret.id == customer.pk and by_siret.match == "siren"
    by_vat = selectors.find_partner(company=company, vat_number=customer.vat_number)
    assert by_vat.id == customer.pk
    by_iban = selectors.find_partner(company=company, iban="fr76 3000 4000 0312 3456 7890 143")
    assert by_iban.id == customer.pk and by_iban.match == "iban"
    fuzzy = selectors.find_partner(company=company, name="CABINET D ARCHITECTURE LEMOINE SARL")
    assert fuzzy.id == customer.pk and fuzzy.match == "name" and fuzzy.match_score >= 86
    assert selectors.find_partner(company=company, name="Boulangerie du Port") is None
    assert selectors.find_partner(company=company, siren=customer.siren, kind="supplier") is None


def test_partners_lists_views_of_the_company_only(company, other_company):
    mine = make_customer(company, postal_code="44300", city="Nantes")
    make_customer(other_company)
    views = selectors.partners(company=company)
    assert [v.id for v in views] == [mine.pk]
    assert (views[0].postcode, views[0].city, views[0].siren) == ("44300", "Nantes", mine.siren)
    assert selectors.partners(company=company, kind="supplier") == []
