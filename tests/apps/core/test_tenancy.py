import pytest
from django.core.exceptions import ValidationError

from etabli.core.models import Company, Membership, Role
from etabli.core.permissions import membership_has_permission
from etabli.core.services import companies
from tests.factories import make_company, make_member, make_user

VALID_SIREN = "732829320"
VALID_SIRET = "73282932000074"
VALID_VAT = "FR44732829320"


@pytest.mark.django_db
class TestCompanyValidation:
    def test_valid_identifiers_are_normalised_and_saved(self):
        company = companies.create_company(legal_name="Menuiserie Dupont", siren="732 829 320",
                                           siret="732 829 320 00074", vat_number="fr 44 732829320", naf_code="4332a")
        company.refresh_from_db()
        assert (company.siren, company.siret, company.vat_number, company.naf_code) == (
            VALID_SIREN, VALID_SIRET, VALID_VAT, "43.32A")
        assert company.slug == "menuiserie-dupont"

    @pytest.mark.parametrize("field,value,message", [
        ("siren", "732829321", "SIREN « 732829321 » n'est pas valide"),
        ("siren", "12345", "9 chiffres"),
        ("siret", "73282932000075", "SIRET « 73282932000075 » n'est pas valide"),
        ("vat_number", "FR45732829320", "numéro de TVA « FR45732829320 » n'est pas valide"),
        ("naf_code", "ABCD", "forme 16.23Z"),
    ])
    def test_invalid_identifier_is_refused_in_french_and_nothing_is_written(self, field, value, message):
        with pytest.raises(ValidationError) as error:
            companies.create_company(legal_name="Refusée", **{field: value})
        assert message in " ".join(error.value.messages)
        assert not Company.objects.filter(legal_name="Refusée").exists()

    def test_siret_and_vat_must_carry_the_siren(self):
        with pytest.raises(ValidationError) as error:
            companies.create_company(legal_name="Incohérente", siren="552100554", siret=VALID_SIRET)
        assert "doit commencer par le SIREN" in str(error.value)
        with pytest.raises(ValidationError) as error:
            companies.create_company(legal_name="Incohérente", siren="552100554", vat_number=VALID_VAT)
        assert "ne correspond pas au SIREN" in str(error.value)

    def test_slugs_stay_unique(self):
        first = companies.create_company(legal_name="Boulangerie")
        second = companies.create_company(legal_name="Boulangerie")
        assert first.slug != second.slug


@pytest.mark.django_db
class TestMembershipsAndPermissions:
    def test_one_user_many_companies_with_a_role_in_each(self):
        accountant = make_user()
        a, b = make_company("A"), make_company("B")
        make_member(a, Role.ACCOUNTANT, user=accountant)
        make_member(b, Role.READONLY, user=accountant)
        roles = dict(Membership.objects.filter(user=accountant).values_list("company_id", "role"))
        assert roles == {a.pk: "accountant", b.pk: "readonly"}

    @pytest.mark.parametrize("role,permission,expected", [
        ("owner", "audit.view", True),
        ("owner", "members.admin", True),
        ("manager", "reviews.approve", True),
        ("manager", "audit.view", False),
        ("accountant", "data.export", True),
        ("accountant", "members.admin", False),
        ("employee", "reviews.view", True),
        ("employee", "reviews.approve", False),
        ("readonly", "alerts.view", True),
        ("readonly", "alerts.edit", False),
        ("readonly", "settings.admin", False),
    ])
    def test_role_defaults(self, company, role, permission, expected):
        assert membership_has_permission(make_member(company, role), permission) is expected

    def test_owner_overrides_grant_and_revoke_beyond_the_role(self, company):
        member = make_member(company, Role.EMPLOYEE)
        companies.set_permission_overrides(membership=member, overrides={"reviews.approve": True, "alerts.edit": False})
        assert member.can("reviews.approve")
        assert not member.can("alerts.edit")
        assert member.can("alerts.view")

    def test_unknown_permission_override_is_refused(self, company):
        member = make_member(company, Role.EMPLOYEE)
        with pytest.raises(companies.CompanyError):
            companies.set_permission_overrides(membership=member, overrides={"billing.fly": True})

    def test_inactive_membership_has_no_permission(self, company):
        member = make_member(company, Role.MANAGER)
        member.is_active = False
        assert not member.can("home.view")

    def test_the_last_owner_cannot_be_demoted_or_removed(self, owner):
        with pytest.raises(companies.CompanyError, match="au moins un dirigeant"):
            companies.change_role(membership=owner, role=Role.EMPLOYEE)
        with pytest.raises(companies.CompanyError, match="dernier dirigeant"):
            companies.remove_member(membership=owner)
        second = make_member(owner.company, Role.OWNER)
        companies.change_role(membership=owner, role=Role.MANAGER)
        assert Membership.objects.get(pk=owner.pk).role == Role.MANAGER
        assert second.can("members.admin")

    def test_add_member_creates_an_account_without_password_and_refuses_bad_email(self, company):
        membership = companies.add_member(company=company, email="Nouveau@Exemple.FR", role="employee")
        assert membership.user.email == "nouveau@exemple.fr"
        assert not membership.user.has_usable_password()
        with pytest.raises(companies.CompanyError, match="déjà accès"):
            companies.add_member(company=company, email="nouveau@exemple.fr", role="employee")
        with pytest.raises(companies.CompanyError, match="n'est pas valide"):
            companies.add_member(company=company, email="pas-une-adresse", role="employee")
        with pytest.raises(companies.CompanyError, match="Rôle inconnu"):
            companies.add_member(company=company, email="x@exemple.fr", role="pirate")
