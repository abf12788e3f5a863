"""Product descriptions in bulk and the CSV helpers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from etabli.engines.llm import TEMPLATE_LABEL, Voice, check_grounding
from etabli.engines.writing import WritingError, describe_products, read_products_csv, write_products_csv
from etabli.engines.writing.products import _attributes, map_columns, origin_phrase, product_facts

from .conftest import numbers_in

CSV_TEXT = (
    "ref;nom;origine;notes;grammage;prix;categorie;matiere;dimensions\n"
    "T1;Thé vert Sencha bio;Japon;Herbacé, légèrement sucré;100g;12,90;Thé vert;;\n"
    "T2;Thé noir Darjeeling;Inde;Floral, boisé;100g;14,50;Thé noir;;\n"
    "T3;Rooibos vanille;Afrique du Sud;Vanillé, doux;80g;9;Infusion;;\n"
    "T4;Planche à découper;France;;;35;Cuisine;noyer massif;40 x 25 x 2 cm\n"
    "T5;Théière en fonte;Chine;;1,2kg;59,90;Accessoire;fonte émaillée;0,8 L\n"
    "T6;;Japon;;;;;;\n"
    "T7;Matcha cérémonie;Japon (Uji);Umami, végétal;30g;29;Thé vert;;\n"
)


def _rows(count: int) -> list[dict[str, str]]:
    origins = ["Japon", "Inde", "Chine", "Kenya", "Népal", "Sri Lanka", "Taïwan", "Vietnam"]
    notes = ["Herbacé", "Floral", "Boisé, fumé", "Fruité", "Épicé", "Iodé", "Malté", "Végétal"]
    return [
        {"nom": f"Thé numéro {i}", "origine": origins[i % len(origins)], "notes": notes[i % len(notes)], "poids": "100g", "sku": f"SKU-{i}"}
        for i in range(count)
    ]


def test_one_description_per_row_with_the_row_facts() -> None:
    table = read_products_csv(CSV_TEXT)
    results = describe_products(table, company="La Maison du Thé")
    assert len(results) == len(table.rows) == 7
    sencha = results[0]
    assert sencha.ok and sencha.name == "Thé vert Sencha bio" and sencha.label == TEMPLATE_LABEL
    assert "Japon" in sencha.description and "herbacé, légèrement sucré" in sencha.description
    assert "100 g" in sencha.description
    assert sencha.title_seo == "Thé vert Sencha bio – Japon | La Maison du Thé" and len(sencha.title_seo) <= 60
    assert len(sencha.meta_description) <= 155
    for result in results:
        if not result.ok:
            continue
        attrs = _attributes(result.row, table.mapping)
        assert numbers_in(result.description) <= numbers_in(str(result.row)), result.description
        assert "12,90" not in result.description  # no price unless asked
        report = check_grounding(result.description, product_facts(attrs) | {"Boutique": "La Maison du Thé"})
        assert report.ok, report.summary_fr


def test_row_without_name_is_reported_not_dropped() -> None:
    results = describe_products(read_products_csv(CSV_TEXT))
    missing = results[5]
    assert not missing.ok and "nom du produit manquant" in (missing.error or "")
    assert missing.row["ref"] == "T6"


def test_price_only_on_request_and_formatted() -> None:
    [result] = describe_products([{"nom": "Théière en fonte", "prix": "59,9"}], include_price=True)
    assert "Prix : 59,90\xa0€." in result.description


def test_descriptions_vary_their_structure() -> None:
    results = describe_products(_rows(24))
    openings = {" ".join(r.description.split()[:3]) for r in results}
    assert len(openings) >= 6
    detail_orders = {tuple(s.split(" :")[0] for s in r.description.split(". ")[1:3]) for r in results}
    assert len(detail_orders) >= 3


def test_grammar_without_gender_guessing() -> None:
    assert origin_phrase("Japon") == "du Japon"
    assert origin_phrase("France") == "de France"
    assert origin_phrase("Italie") == "d'Italie"
    assert origin_phrase("Pays-Bas") == "des Pays-Bas"
    assert origin_phrase("Équateur") == "de l'Équateur"
    assert origin_phrase("Afrique du Sud") is None  # unknown grammar: stated as "Origine : …"
    [plural] = describe_products([{"nom": "Bougies parfumées", "origine": "France", "notes": "Vanille"}], seed=1)
    assert "notre bougies" not in plural.description.lower()


def test_voice_tu_and_banned_words() -> None:
    voice = Voice(address="tu", words_to_avoid=("découvrez", "découvre", "découvrir"), tone="fun")
    for result in describe_products(_rows(12), voice=voice):
        lowered = result.description.lower()
        assert "découvr" not in lowered and "vous" not in lowered, result.description
        assert not result.draft.warnings


def test_progress_callback_reports_each_row() -> None:
    calls: list[tuple[int, int]] = []
    describe_products(_rows(5), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_missing_required_column_is_a_french_error() -> None:
    with pytest.raises(WritingError) as error:
        read_products_csv("ref;prix;origine\nT1;12;Japon\n")
    message = str(error.value)
    assert "Colonne(s) obligatoire(s) absente(s)" in message and "« nom »" in message
    assert "« ref », « prix », « origine »" in message
    with pytest.raises(WritingError, match="Colonne.*« origine »"):
        read_products_csv("nom;prix\nThé;12\n", required=("name", "origin"))


def test_other_bad_files() -> None:
    with pytest.raises(WritingError, match="vide"):
        read_products_csv("")
    with pytest.raises(WritingError, match="aucun produit"):
        read_products_csv("nom;prix\n")
    with pytest.raises(WritingError, match="en double"):
        read_products_csv("nom;nom\na;b\n")
    with pytest.raises(WritingError, match="Ligne 2"):
        read_products_csv("nom;prix\nThé;12;en trop;encore\n")
    with pytest.raises(WritingError, match="introuvable"):
        read_products_csv(Path("/nonexistent/produits.csv"))
    with pytest.raises(WritingError, match="vide"):
        describe_products([])


def test_comma_separated_cp1252_file_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_bytes("Produit,Provenance,Poids,Référence\nCafé moulu,Éthiopie,250g,C-1\n".encode("cp1252"))
    table = read_products_csv(path)
    assert table.delimiter == "," and table.columns == ("Produit", "Provenance", "Poids", "Référence")
    assert map_columns(table.columns) == {"name": "Produit", "origin": "Provenance", "weight": "Poids"}
    [result] = describe_products(table)
    assert "Éthiopie" in result.description and "250 g" in result.description


def test_csv_round_trip_keeps_every_column(tmp_path: Path) -> None:
    table = read_products_csv(CSV_TEXT)
    results = describe_products(table, company="La Maison du Thé")
    target = tmp_path / "sortie.csv"
    text = write_products_csv(target, table, results)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0].keys())[: len(table.columns)] == list(table.columns)
    assert {"titre_seo", "meta_description", "description", "statut_redaction", "avertissements"} <= set(rows[0])
    assert [r["ref"] for r in rows] == ["T1", "T2", "T3", "T4", "T5", "T6", "T7"]
    assert rows[0]["description"] == results[0].description and rows[0]["prix"] == "12,90"
    assert "nom du produit manquant" in rows[5]["statut_redaction"]
    again = read_products_csv(target)
    assert again.columns[: len(table.columns)] == table.columns and len(again.rows) == 7
    with pytest.raises(WritingError, match="ne correspond pas"):
        write_products_csv(None, table, results[:3])
