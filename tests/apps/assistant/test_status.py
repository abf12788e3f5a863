"""Order/invoice status (guide ch. 5.1, niveau 2): the number, then a second factor, then the billing data —
never any data without the second factor. Runs against the real billing app."""

import pytest

pytest.importorskip("etabli.billing.selectors", reason="le module de facturation n'est pas installé")
billing_factories = pytest.importorskip("tests.apps.billing.factories")

from etabli.assistant import retrieval
from etabli.assistant.answering import compose_reply
from etabli.common.formats import format_eur
from etabli.core.models import AIDecision, TimeSaved

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(company, kb):
    billing_factories.setup_company(company)
    customer = billing_factories.make_customer(company, postal_code="44000", email="compta@client-suivi.fr")
    return billing_factories.make_issued(company, customer=customer)


def test_number_then_second_factor_then_the_status(public, company, invoice):
    public.start()
    asked = public.send("Je n'ai pas reçu ma commande").json()["messages"][-1]
    assert asked["route"] == "clarify" and "numéro" in asked["text"]
    number_only = public.send(f"C'est la facture {invoice.number}").json()["messages"][-1]
    amount = format_eur(invoice.total_ttc)
    assert number_only["route"] == "clarify" and "code postal" in number_only["text"]
    assert amount not in number_only["text"] and "Client Test" not in number_only["text"]
    wrong = public.send("Le code postal est 75011").json()["messages"][-1]
    assert wrong["route"] == "clarify" and "Je ne trouve pas" in wrong["text"] and amount not in wrong["text"]
    found = public.send(f"Facture {invoice.number}, code postal 44000").json()["messages"][-1]
    assert found["route"] == "answered" and invoice.number in found["text"] and amount in found["text"]
    assert found["sources"][0]["title"] == f"Facturation : {invoice.number}"
    assert TimeSaved.objects.filter(company=company, action="assistant.status_lookup").count() == 1
    assert AIDecision.objects.filter(company=company, engine="etabli.assistant.suivi").count() == 1


def test_the_email_works_as_second_factor_in_one_message(company, invoice):
    reply = compose_reply(company=company, profile=retrieval.profile_for(company), audience="clients",
                          question=f"Où en est ma facture {invoice.number} ? Mon e-mail : compta@client-suivi.fr",
                          sync=True)
    assert reply.route == "answered" and format_eur(invoice.total_ttc) in reply.text


def test_an_unknown_number_and_a_wrong_factor_get_the_same_answer(company, invoice):
    profile = retrieval.profile_for(company)
    unknown = compose_reply(company=company, profile=profile, audience="clients", sync=True,
                            question="Où en est ma facture FA-1999-99999 ? code postal 44000")
    wrong = compose_reply(company=company, profile=profile, audience="clients", sync=True,
                          question=f"Où en est ma facture {invoice.number} ? code postal 75011")
    assert unknown.text == wrong.text and unknown.route == wrong.route == "clarify"


def test_repeated_failures_go_to_a_person(public, invoice):
    public.start()
    public.send("Où en est ma commande ?")
    for postcode in ("75011", "69003"):
        reply = public.send(f"facture {invoice.number} code postal {postcode}").json()["messages"][-1]
        assert reply["route"] == "clarify"
    last = public.send(f"facture {invoice.number} code postal 13001").json()
    assert last["messages"][-1]["route"] == "escalated" and last["status"] == "waiting"
    assert format_eur(invoice.total_ttc) not in str(last)


def test_the_status_of_another_company_is_never_found(company, other_company, invoice):
    reply = compose_reply(company=other_company, profile=retrieval.profile_for(other_company), audience="clients",
                          question=f"Où en est ma facture {invoice.number} ? code postal 44000", sync=True)
    assert reply.route in ("clarify", "escalated") and format_eur(invoice.total_ttc) not in reply.text
