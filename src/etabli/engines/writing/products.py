"""Product descriptions in bulk from rows of attributes (guide ch. 6.1 C: 200 products, 2 h instead of 40).

Each row (name, origin, notes, weight, material, dimensions, colour, price…) gives one description, an SEO
title and a meta description. The template path varies its sentence structures from one row to the next
(openings, order of the details, closings) so that a catalogue does not read as 200 copies of one
sentence, and it only states what the row says: no health claim, no invented figure.

French grammar without a parser: constructions are chosen so that nothing has to agree with the product's
unknown gender ("Originaire du Japon, X offre…", "Matière : chêne massif"), and the preposition before a
country comes from a table ("du Japon", "de France", "d'Italie", "des Pays-Bas"); an unknown origin is
stated as "Origine : …" rather than guessed.

CSV helpers read the semicolon-separated, cp1252 or UTF-8 files that French spreadsheets export, report
missing required columns in French, and write the result back with every original column kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from etabli.common.formats import format_eur
from etabli.common.money import round_cents, to_decimal
from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import ComposeRequest, Draft, compose, facts_block, system_prompt
from etabli.engines.writing._text import capitalize_first, fold, stable_index, truncate_words
from etabli.engines.writing._voice import DEFAULT_VOICE, is_warm, pick
from etabli.engines.writing.errors import WritingError

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine

# --------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------
#: Attribute → accepted column names (folded, spaces and underscores removed).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nom", "name", "produit", "product", "designation", "libelle", "titre", "nomproduit", "article"),
    "category": ("categorie", "category", "type", "famille", "gamme", "rayon"),
    "brand": ("marque", "brand", "fabricant"),
    "origin": ("origine", "origin", "provenance", "pays", "paysdorigine", "region"),
    "notes": ("notes", "saveurs", "aromes", "gout", "gouts", "parfum", "profil", "profilaromatique", "notesdedegustation"),
    "weight": ("poids", "weight", "grammage", "contenance", "volume", "quantite", "conditionnement"),
    "material": ("matiere", "matieres", "materiau", "materiaux", "material", "composition"),
    "dimensions": ("dimensions", "dimension", "taille", "size", "format", "mesures"),
    "color": ("couleur", "couleurs", "color", "coloris"),
    "usage": ("usage", "utilisation", "conseil", "conseils", "conseildutilisation", "ideal pour", "idealpour"),
    "certification": ("label", "labels", "certification", "certifications", "bio"),
    "features": ("caracteristiques", "pointsforts", "avantages", "features", "atouts", "details"),
    "price": ("prix", "price", "prixttc", "tarif", "prixdevente"),
}
REQUIRED_ATTRIBUTES: tuple[str, ...] = ("name",)
_ATTRIBUTE_LABELS = {
    "name": "nom", "category": "catégorie", "brand": "marque", "origin": "origine", "notes": "notes",
    "weight": "poids", "material": "matière", "dimensions": "dimensions", "color": "couleur",
    "usage": "usage", "certification": "label", "features": "caractéristiques", "price": "prix",
}
OUTPUT_COLUMNS = ("titre_seo", "meta_description", "description", "statut_redaction", "avertissements")


def _column_key(column: str) -> str:
    return re.sub(r"[\s_\-'’.]", "", fold(column))


def map_columns(columns: Sequence[str]) -> dict[str, str]:
    """Attribute → the column of the file holding it (first matching column wins)."""
    mapping: dict[str, str] = {}
    for column in columns:
        key = _column_key(column)
        for attribute, aliases in COLUMN_ALIASES.items():
            if attribute not in mapping and key in {_column_key(alias) for alias in aliases}:
                mapping[attribute] = column
    return mapping


# --------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductTable:
    """Rows read from a CSV file, with the file's own columns (all kept) and its delimiter."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    delimiter: str = ";"
    mapping: Mapping[str, str] | None = None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_products_csv(
    source: Path | str | bytes | TextIO,
    *,
    required: Sequence[str] = REQUIRED_ATTRIBUTES,
) -> ProductTable:
    """Read a product CSV (``;``, ``,`` or tab separated; UTF-8 or Windows-1252).

    ``source`` is a ``Path``, the file's bytes, the CSV text itself (a ``str``), or an open file. Raises ``WritingError`` in French when
    the file is empty or a required column (by default the product name) is missing.
    """
    if isinstance(source, Path):
        path = source
        if not path.exists():
            raise WritingError(f"Fichier introuvable : « {path} ».")
        text = _decode(path.read_bytes())
    elif isinstance(source, bytes):
        text = _decode(source)
    elif isinstance(source, str):
        text = source
    else:
        text = source.read()
        if isinstance(text, bytes):
            text = _decode(text)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise WritingError("Le fichier CSV est vide : il faut une ligne d'en-têtes puis une ligne par produit.")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise WritingError("Le fichier CSV est vide : il faut une ligne d'en-têtes.") from exc
    columns = tuple(column.strip() for column in header)
    if len(set(columns)) != len(columns):
        duplicates = sorted({c for c in columns if columns.count(c) > 1})
        raise WritingError(f"Colonnes en double dans le fichier CSV : {', '.join(f'« {c} »' for c in duplicates)}.")
    mapping = map_columns(columns)
    missing = [attribute for attribute in required if attribute not in mapping]
    if missing:
        names = ", ".join(f"« {_ATTRIBUTE_LABELS.get(a, a)} »" for a in missing)
        accepted = " ; ".join(
            f"{_ATTRIBUTE_LABELS.get(a, a)} : " + ", ".join(COLUMN_ALIASES.get(a, (a,))[:4]) for a in missing
        )
        found = ", ".join(f"« {c} »" for c in columns if c) or "aucune"
        raise WritingError(
            f"Colonne(s) obligatoire(s) absente(s) du fichier CSV : {names}. Colonnes trouvées : {found}. "
            f"Noms de colonne acceptés — {accepted}."
        )
    rows: list[dict[str, str]] = []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(columns):
            extra = [value for value in values[len(columns):] if value.strip()]
            if extra:
                raise WritingError(
                    f"Ligne {line_number} : {len(values)} valeurs pour {len(columns)} colonnes "
                    f"(vérifiez le séparateur « {delimiter} » et les guillemets)."
                )
        padded = list(values[: len(columns)]) + [""] * (len(columns) - len(values))
        rows.append({column: value.strip() for column, value in zip(columns, padded, strict=True)})
    if not rows:
        raise WritingError("Le fichier CSV ne contient aucun produit (seulement la ligne d'en-têtes).")
    return ProductTable(columns=columns, rows=tuple(rows), delimiter=delimiter, mapping=mapping)


def write_products_csv(
    target: str | Path | TextIO | None,
    table: ProductTable,
    results: Sequence[ProductDescription],
) -> str:
    """Write the input rows with the generated columns added (original columns first, all kept).

    Returns the CSV text; also writes it to ``target`` (a path or open file) when given. UTF-8 with a
    BOM so that Excel opens accents correctly.
    """
    if len(results) != len(table.rows):
        raise WritingError("Le nombre de descriptions ne correspond pas au nombre de produits du fichier.")
    extra = [column for column in OUTPUT_COLUMNS if column not in table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=table.delimiter, lineterminator="\r\n")
    writer.writerow([*table.columns, *extra])
    for row, result in zip(table.rows, results, strict=True):
        generated = {
            "titre_seo": result.title_seo,
            "meta_description": result.meta_description,
            "description": result.description,
            "statut_redaction": result.error or result.draft.label,
            "avertissements": " | ".join(result.draft.warnings),
        }
        merged = {**row, **generated}
        writer.writerow([merged.get(column, "") for column in (*table.columns, *extra)])
    text = buffer.getvalue()
    if target is not None:
        if isinstance(target, (str, Path)):
            Path(target).write_text(text, encoding="utf-8-sig", newline="")
        else:
            target.write(text)
    return text


# --------------------------------------------------------------------------------------------------
# Origins
# --------------------------------------------------------------------------------------------------
_MASCULINE = {
    "japon", "bresil", "maroc", "portugal", "canada", "mexique", "perou", "vietnam", "viet nam", "kenya",
    "sri lanka", "nepal", "cambodge", "mozambique", "chili", "danemark", "royaume-uni", "laos", "senegal",
    "cameroun", "liban", "costa rica", "guatemala", "honduras", "nicaragua", "salvador", "venezuela",
    "paraguay", "panama", "rwanda", "burundi", "zimbabwe", "luxembourg", "pakistan", "bangladesh", "yemen",
    "togo", "benin", "gabon", "congo", "ghana", "nigeria", "malawi", "jura", "perigord", "quercy",
    "berry", "limousin", "languedoc", "roussillon", "beaujolais", "bordelais", "pays basque", "vaucluse",
    "gers", "var", "lot", "cantal", "finistere", "morbihan", "calvados", "tibet", "yunnan", "sichuan",
    "fujian", "darjeeling", "assam", "kerala", "zhejiang", "guangdong", "hunan", "anhui", "tyrol",
}
_MASCULINE_VOWEL = {"iran", "irak", "equateur", "ouganda", "ouzbekistan", "oregon", "anjou", "aveyron"}
_PLURAL = {"etats-unis", "etats unis", "pays-bas", "pays bas", "philippines", "antilles", "cevennes", "vosges", "landes", "alpes", "pyrenees", "ardennes", "comores", "seychelles", "maldives"}
_FEMININE_NOT_E = {"guadeloupe", "martinique"}


def origin_phrase(origin: str) -> str | None:
    """"Japon" → "du Japon", "France" → "de France", "Italie" → "d'Italie", "Pays-Bas" → "des Pays-Bas".

    Returns None when the grammar cannot be known safely (a city, an unknown masculine name): the
    caller then writes "Origine : …" instead of guessing.
    """
    text = origin.strip()
    if not text:
        return None
    base = fold(re.split(r"[(,/]", text)[0]).strip()
    if base in _PLURAL:
        return f"des {text}"
    if base in _MASCULINE:
        return f"du {text}"
    if base in _MASCULINE_VOWEL:
        return f"de l'{text}"
    if base.endswith("e") or base in _FEMININE_NOT_E:
        return f"d'{text}" if base[:1] in "aeiouy" else f"de {text}"
    return None


# --------------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductDescription:
    """The description of one row; ``error`` (French) is set when the row could not be described."""

    index: int
    name: str
    title_seo: str
    meta_description: str
    description: str
    draft: Draft
    row: Mapping[str, str]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label


def _attributes(row: Mapping[str, Any], mapping: Mapping[str, str] | None) -> dict[str, str]:
    mapping = mapping or map_columns(list(row.keys()))
    values = {attribute: str(row.get(column) or "").strip() for attribute, column in mapping.items()}
    return {key: value for key, value in values.items() if value}


def _price_text(value: str) -> str | None:
    try:
        amount = round_cents(to_decimal(value))
    except (ValueError, TypeError):
        return None
    if amount == amount.to_integral_value():
        return format_eur(amount, decimals=0)
    return format_eur(amount)


def _sentence(text: str) -> str:
    text = capitalize_first(text.strip())
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _weight(value: str) -> str:
    """"100g" → "100 g", "1,5kg" → "1,5 kg" (a space between number and unit, French style)."""
    return re.sub(r"(\d)\s*(kg|g|mg|l|cl|ml)\b", r"\1 \2", value, flags=re.IGNORECASE)


# --------------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------------
def _lower_common(text: str) -> str:
    """"Thé vert" → "thé vert" but "LED" and "iPhone" stay: only a plain capitalised word is lowered."""
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and first[1:].islower():
        return first.lower() + text[len(first):]
    return text


_SINGULAR_ENDING_IN_S = {"jus", "bois", "riz", "pois", "noix", "houx", "cassis", "anis", "ananas", "colis", "tapis", "repas", "lot", "mais", "gras", "bras", "dos", "rooibos", "couscous", "houmous", "hummus", "tournevis", "puits", "velours", "lys"}


def is_plural_name(name: str) -> bool:
    """"Bougies parfumées" is plural, "Thé vert" and "Jus de pomme" are not (first word decides)."""
    first = fold(name.split()[0]) if name.split() else ""
    return first.endswith(("s", "x")) and first not in _SINGULAR_ENDING_IN_S and len(first) > 3


def noun_phrase(name: str) -> str:
    """"Thé vert Sencha" → "notre thé vert Sencha"; "Bougies parfumées" → "nos bougies parfumées".

    "notre"/"nos" fit both genders, which lets the template name the product without knowing it.
    """
    determiner = "nos" if is_plural_name(name) else "notre"
    return f"{determiner} {_lower_common(name.strip())}"


def _opening(attrs: Mapping[str, str], voice: Voice, key: object) -> str:
    name = attrs["name"]
    product = noun_phrase(name)
    plural = is_plural_name(name)
    offers, stands_out, comes, has = (
        ("offrent", "se distinguent", "nous viennent", "ont") if plural else ("offre", "se distingue", "nous vient", "a")
    )
    origin = attrs.get("origin", "")
    where = origin_phrase(origin) if origin else None
    notes = _lower_common(attrs.get("notes", ""))
    category = attrs.get("category", "")
    options: list[str] = []
    if where and notes:
        options += [
            f"Originaire {where}, {product} {offers} un profil tout en nuances : {notes}.",
            f"{capitalize_first(product)} {comes} {where} et {stands_out} par {'leurs' if plural else 'ses'} notes : {notes}.",
        ]
    if where:
        options += [
            f"<<Découvrez|Découvre>> {product}, en provenance {where}.",
            f"Direction {origin.strip()} avec {product}.",
        ]
    if notes and not where:
        options += [
            f"{capitalize_first(product)} {stands_out} par {'leurs' if plural else 'ses'} notes : {notes}.",
            f"<<Laissez-vous|Laisse-toi>> surprendre par {product} : {notes}.",
        ]
    if category:
        options += [
            f"{name} : {_lower_common(category)}, à découvrir sans attendre.",
            f"Dans la gamme {_lower_common(category)}, {product} {has} tout pour plaire.",
        ]
    options += [f"<<Découvrez|Découvre>> {product}.", f"{capitalize_first(product)}, une référence à découvrir."]
    return pick(options, voice=voice, key=("opening", key))


def _detail_sentences(attrs: Mapping[str, str], voice: Voice, key: object, used_in_opening: str, include_price: bool) -> list[str]:
    sentences: list[str] = []
    origin = attrs.get("origin", "")
    if origin and fold(origin) not in fold(used_in_opening):
        sentences.append(pick((f"Origine : {origin}.", f"Provenance : {origin}."), voice=voice, key=("origin", key)))
    notes = attrs.get("notes", "")
    if notes and fold(notes) not in fold(used_in_opening):
        sentences.append(pick((f"Notes : {_lower_common(notes)}.", f"Côté goût : {_lower_common(notes)}."), voice=voice, key=("notes", key)))
    if attrs.get("material"):
        material = attrs["material"]
        sentences.append(pick((f"Matière : {material}.", f"Réalisation en {_lower_common(material)}.", f"Tout en {_lower_common(material)}."), voice=voice, key=("material", key)))
    if attrs.get("features"):
        sentences.append(pick((f"Points forts : {attrs['features']}.", f"Ses atouts : {attrs['features']}."), voice=voice, key=("features", key)))
    if attrs.get("color"):
        sentences.append(pick((f"Coloris : {attrs['color']}.", f"Couleur : {_lower_common(attrs['color'])}."), voice=voice, key=("color", key)))
    if attrs.get("dimensions"):
        sentences.append(pick((f"Dimensions : {attrs['dimensions']}.", f"Format : {attrs['dimensions']}."), voice=voice, key=("dims", key)))
    if attrs.get("usage"):
        usage = attrs["usage"].strip().rstrip(".")
        starts_with_verb_phrase = fold(usage).startswith(("pour ", "a ", "en ", "le ", "la ", "les ", "au ", "aux "))
        sentences.append(
            pick(
                (f"Idéal {usage}." if starts_with_verb_phrase else f"Idéal pour : {usage}.", f"Conseil d'utilisation : {usage}."),
                voice=voice, key=("usage", key),
            )
        )
    if attrs.get("certification"):
        sentences.append(pick((f"Label : {attrs['certification']}.", f"Certification : {attrs['certification']}."), voice=voice, key=("cert", key)))
    # Middle details in a varied order: the same attributes do not always come in the same sequence.
    if len(sentences) > 2:
        shift = stable_index("order", key, modulo=len(sentences))
        sentences = sentences[shift:] + sentences[:shift]
    weight = attrs.get("weight")
    if weight:
        sentences.append(pick((f"Conditionnement : {_weight(weight)}.", f"Poids : {_weight(weight)}.", f"Format de vente : {_weight(weight)}."), voice=voice, key=("weight", key)))
    if attrs.get("brand"):
        sentences.append(f"Marque : {attrs['brand']}.")
    if include_price and attrs.get("price"):
        price = _price_text(attrs["price"])
        if price:
            sentences.append(f"Prix : {price}.")
    return sentences


def _closing(attrs: Mapping[str, str], voice: Voice, key: object, company: str) -> str:
    where = f" chez {company}" if company else ""
    options = [
        f"À découvrir dès maintenant{where}.",
        "Une belle référence à ajouter à <<votre|ta>> sélection.",
        f"Disponible dès maintenant{where}.",
        "Une idée cadeau toute trouvée." if is_warm(voice) else "Une référence sûre de notre catalogue.",
    ]
    return pick(options, voice=voice, key=("closing", key))


def template_description(attrs: Mapping[str, str], voice: Voice, *, key: object, company: str = "", include_price: bool = False) -> str:
    """The template description of one product (opening, details in varied order, closing)."""
    opening = _sentence(_opening(attrs, voice, key))
    details = _detail_sentences(attrs, voice, key, opening, include_price)
    closing = _closing(attrs, voice, key, company)
    return " ".join([opening, *details, closing])


def seo_title(attrs: Mapping[str, str], company: str = "", limit: int = 60) -> str:
    """"Thé vert Sencha bio – Japon | Maison du Thé" within ``limit`` characters (search engines cut at ~60)."""
    name = attrs["name"].strip()
    qualifier = attrs.get("origin") or attrs.get("category") or attrs.get("material") or attrs.get("weight") or ""
    candidates = [
        f"{name} – {qualifier} | {company}" if qualifier and company else "",
        f"{name} – {qualifier}" if qualifier else "",
        f"{name} | {company}" if company else "",
        name,
    ]
    for candidate in candidates:
        if candidate and len(candidate) <= limit:
            return candidate
    return truncate_words(name, limit)


def meta_description(text: str, limit: int = 155) -> str:
    """The description cut to ``limit`` characters at a word (what a search result shows)."""
    return truncate_words(text, limit)


def product_facts(attrs: Mapping[str, str]) -> dict[str, str]:
    """The row's attributes under French labels (prompt and grounding check)."""
    facts = {capitalize_first(_ATTRIBUTE_LABELS[key]): value for key, value in attrs.items() if key in _ATTRIBUTE_LABELS}
    if "weight" in attrs:
        facts["Poids"] = _weight(attrs["weight"])
    if "price" in attrs and _price_text(attrs["price"]):
        facts["Prix"] = _price_text(attrs["price"]) or attrs["price"]
    return facts


def build_product_prompt(attrs: Mapping[str, str], voice: Voice, *, style: str = "", include_price: bool = False) -> tuple[str, str]:
    """(system, prompt) for one description: 50 to 90 words, only the row's facts."""
    facts = product_facts(attrs)
    if not include_price:
        facts.pop("Prix", None)
    prompt = (
        "Rédigez une description de fiche produit pour une boutique en ligne, de 50 à 90 mots, en un seul paragraphe.\n"
        + (f"Style : {style}.\n" if style else "")
        + "N'ajoutez aucune allégation (santé, écologie, récompense) qui ne figure pas dans les informations.\n\n"
        + f"Informations sur le produit :\n{facts_block(facts)}"
    )
    return system_prompt(voice, "Écrivez des descriptions de produits précises et engageantes."), prompt


# --------------------------------------------------------------------------------------------------
# Public function
# --------------------------------------------------------------------------------------------------
def describe_products(
    rows: Iterable[Mapping[str, Any]] | ProductTable,
    *,
    company: str = "",
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    style: str = "",
    include_price: bool = False,
    progress: Callable[[int, int], None] | None = None,
    seed: int = 0,
) -> list[ProductDescription]:
    """One description per row, in the same order; a row without a name gets an ``error`` (nothing dropped).

    ``progress(done, total)`` is called after each row (for a progress bar). ``seed`` changes the
    wordings chosen; ``style`` ("luxe", "technique", "fun") goes into the model's prompt.
    """
    mapping = rows.mapping if isinstance(rows, ProductTable) else None
    items = list(rows.rows if isinstance(rows, ProductTable) else rows)
    if not items:
        raise WritingError("Aucun produit à décrire : le tableau est vide.")
    voice = voice or DEFAULT_VOICE
    company = company or voice.company
    if mapping is None:
        mapping = map_columns(list(dict.fromkeys(column for item in items for column in item)))
    if "name" not in mapping:
        raise WritingError("Aucune colonne « nom » (ou « produit », « name ») : impossible de savoir quel produit décrire.")
    results: list[ProductDescription] = []
    total = len(items)
    for index, row in enumerate(items):
        attrs = _attributes(row, mapping)
        if not attrs.get("name"):
            draft = Draft(text="", generated_by_ai=False, label="", warnings=())
            results.append(ProductDescription(index, "", "", "", "", draft, dict(row), error=f"Ligne {index + 1} : nom du produit manquant, rien n'a été rédigé."))
        else:
            key = (seed, index, attrs["name"])
            text = template_description(attrs, voice, key=key, company=company, include_price=include_price)
            system, prompt = build_product_prompt(attrs, voice, style=style, include_price=include_price)
            facts = product_facts(attrs)
            if company:
                facts["Boutique"] = company
            draft = compose(
                ComposeRequest(feature="writing.products", template_text=text, prompt=prompt, system=system, facts=facts, max_tokens=250),
                voice=voice,
                engine=engine,
            )
            if draft.generated_by_ai and len(draft.text.split()) > 160:
                draft = replace(draft, warnings=(*draft.warnings, "Description longue : pensez à la raccourcir."))
            results.append(
                ProductDescription(
                    index=index,
                    name=attrs["name"],
                    title_seo=seo_title(attrs, company),
                    meta_description=meta_description(draft.text),
                    description=draft.text,
                    draft=draft,
                    row=dict(row),
                )
            )
        if progress is not None:
            progress(index + 1, total)
    return results

