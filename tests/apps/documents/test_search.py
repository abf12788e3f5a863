"""Full-text search with French stemming and accent folding (SQLite FTS5 / PostgreSQL), filters, tags,
natural-language box, company isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from etabli.documents import search
from etabli.documents.models import Document, DocumentStatus, DocumentTag, Tag
from etabli.documents.selectors import DocumentFilters, filter_documents

pytestmark = pytest.mark.django_db


def _doc(company, title, content, **fields) -> Document:
    from tests.factories import make_scoped

    document = make_scoped(Document, company)
    for name, value in {"title": title, "content": content, "status": DocumentStatus.FILED, **fields}.items():
        setattr(document, name, value)
    document.save()
    search.index_document(document)
    return document


@pytest.fixture
def corpus(company, other_company):
    docs = {
        "edf": _doc(company, "Facture EDF novembre", "Électricité : consommation de l'atelier, 1 250 kWh",
                    doc_type="facture_fournisseur", correspondent_name="EDF", amount_ttc=Decimal("612.40"),
                    doc_date=dt.date(2025, 11, 30)),
        "edf_small": _doc(company, "Facture EDF mars", "Électricité : abonnement", doc_type="facture_fournisseur",
                          correspondent_name="EDF", amount_ttc=Decimal("98.00"), doc_date=dt.date(2025, 3, 31)),
        "lease": _doc(company, "Bail commercial", "Contrat de location des locaux de l'atelier, loyer mensuel",
                      doc_type="contrat", correspondent_name="SCI des Artisans", doc_date=dt.date(2024, 1, 1)),
        "dupont": _doc(company, "Contrat de maintenance Dupont", "Les parties conviennent des livraisons mensuelles",
                       doc_type="contrat", correspondent_name="Dupont SARL", doc_date=dt.date(2025, 6, 1)),
        "statement": _doc(company, "Relevé de mars", "Relevé de compte du 01/03/2025 au 31/03/2025",
                          doc_type="releve_bancaire", doc_date=dt.date(2025, 3, 31)),
        "theirs": _doc(other_company, "Facture EDF voisine", "Électricité de l'autre entreprise",
                       doc_type="facture_fournisseur", correspondent_name="EDF", amount_ttc=Decimal(700)),
    }
    tag = Tag.objects.create(company=company, name="énergie")
    DocumentTag.objects.create(company=company, document=docs["edf"], tag=tag)
    return docs


def _ids(company, **filters) -> set[int]:
    return set(filter_documents(company, DocumentFilters(**filters)).values_list("pk", flat=True))


def test_french_stemming_and_accent_folding(company, corpus):
    assert _ids(company, text="electricite") == {corpus["edf"].pk, corpus["edf_small"].pk}
    assert _ids(company, text="ÉLECTRICITÉS") == {corpus["edf"].pk, corpus["edf_small"].pk}
    assert corpus["dupont"].pk in _ids(company, text="livraison")  # « livraisons » in the text
    assert _ids(company, text="factures edf") == {corpus["edf"].pk, corpus["edf_small"].pk}
    assert _ids(company, text="l'atelier") == {corpus["edf"].pk, corpus["lease"].pk}
    assert _ids(company, text="introuvable") == set()


def test_prefix_of_the_word_being_typed(company, corpus):
    assert corpus["lease"].pk in _ids(company, text="locat")


def test_search_never_crosses_companies(company, other_company, corpus):
    assert corpus["theirs"].pk not in _ids(company, text="électricité")
    assert _ids(other_company, text="électricité") == {corpus["theirs"].pk}


def test_filters(company, corpus):
    assert _ids(company, doc_types=["contrat"]) == {corpus["lease"].pk, corpus["dupont"].pk}
    assert _ids(company, correspondent="edf", amount_min=Decimal(500)) == {corpus["edf"].pk}
    assert _ids(company, amount_max=Decimal(100)) == {corpus["edf_small"].pk}
    assert _ids(company, date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31)) == {
        corpus["edf_small"].pk, corpus["statement"].pk}
    assert _ids(company, tags=["énergie"]) == {corpus["edf"].pk}
    assert _ids(company, text="edf", doc_types=["contrat"]) == set()


def test_relevance_ranks_the_best_match_first(company, corpus):
    ranked = list(filter_documents(company, DocumentFilters(text="contrat dupont")).values_list("pk", flat=True))
    assert ranked[0] == corpus["dupont"].pk


def test_symbols_cannot_break_the_query(company, corpus):
    for text in ('"', "edf*", "(", "a:b", "NEAR(", "-", "^edf"):
        list(filter_documents(company, DocumentFilters(text=text)))


def test_search_page_with_filters(owner_client, company, corpus):
    html = owner_client.get(reverse("documents:list"), {"q": "électricité", "montant_min": "500"}).content.decode()
    assert "Facture EDF novembre" in html and "Facture EDF mars" not in html and "voisine" not in html


def test_reindex_rebuilds_the_index(company, corpus):
    assert search.rebuild(company) == 5
    assert _ids(company, text="electricite") == {corpus["edf"].pk, corpus["edf_small"].pk}


def test_natural_language_box_is_parsed_into_filters(company, corpus):
    from etabli.documents.nlsearch import interpret

    def ask(sentence):
        result = interpret(company=company, text=sentence, today=dt.date(2026, 2, 10))
        return set(filter_documents(company, result.filters).values_list("pk", flat=True)), result

    found, result = ask("factures EDF de plus de 500 € en 2025")
    assert found == {corpus["edf"].pk}
    assert result.filters.amount_min == Decimal(500) and result.filters.amount_min_strict
    assert "EDF" in result.explanation[0] and "2025" in result.explanation[0]
    assert ask("contrats Dupont")[0] == {corpus["dupont"].pk}
    assert ask("relevés de mars")[0] == {corpus["statement"].pk}
    assert ask("contrats")[0] == {corpus["lease"].pk, corpus["dupont"].pk}


def test_search_box_on_the_page_shows_how_it_understood(owner_client, company, corpus):
    html = owner_client.get(reverse("documents:list"), {"q": "contrats Dupont"}).content.decode()
    assert "Contrat de maintenance Dupont" in html and "Bail commercial" not in html
    assert "Compris" in html and "Dupont SARL" in html


def test_api_natural_language_parameter(client, api_token, company, corpus):
    body = client.get("/api/v1/documents", {"nl": "factures EDF de plus de 500 €"},
                      HTTP_AUTHORIZATION=f"Bearer {api_token}").json()
    assert [item["id"] for item in body["items"]] == [corpus["edf"].pk]
    assert body["interpreted"]["correspondents"] == ["EDF"]
