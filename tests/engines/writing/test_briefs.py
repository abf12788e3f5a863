"""Job ads and blog outlines from a short brief."""

from __future__ import annotations

import re

import pytest

from etabli.engines.llm import TEMPLATE_LABEL, Voice
from etabli.engines.writing import (
    BlogBrief,
    JobBrief,
    WritingError,
    outline_blog_post,
    parse_job_brief,
    write_job_ad,
)

from .conftest import numbers_in

BRIEF = "Menuisier poseur H/F, CDI, Lyon, 3 ans d'expérience, permis B, 2 300 € brut par mois, début janvier"


def test_one_line_job_brief_is_read() -> None:
    brief = parse_job_brief(BRIEF)
    assert (brief.title, brief.contract, brief.location, brief.salary, brief.start) == (
        "Menuisier poseur", "CDI", "Lyon", "2 300 € brut par mois", "début janvier")
    assert brief.profile == ("3 ans d'expérience", "permis B")


def test_job_ad_sections_facts_and_signature(vous_voice: Voice) -> None:
    ad = write_job_ad(BRIEF, voice=vous_voice, company="Menuiserie Martin")
    text = ad.text
    assert ad.title == "Menuisier poseur (H/F) – CDI – Lyon" and text.startswith(ad.title)
    for heading in ("Qui sommes-nous ?", "Vos missions", "Votre profil", "Conditions", "Pour postuler"):
        assert heading in text
    assert "Rémunération : 2 300 € brut par mois" in text and "- Permis B" in text
    assert "Poser les menuiseries" in text  # usual missions of the trade…
    assert any("adaptez-les" in w for w in ad.warnings)  # …flagged as to adapt
    assert numbers_in(text) <= numbers_in(BRIEF)
    assert text.endswith("Jean Martin\nMenuiserie Martin")
    assert ad.label == TEMPLATE_LABEL and not ad.generated_by_ai
    assert not [w for w in ad.warnings if w.startswith("Fait non vérifié")]


def test_no_salary_is_invented_and_discrimination_is_flagged(tu_voice: Voice) -> None:
    ad = write_job_ad(JobBrief(title="Vendeur", contract="cdd de 6 mois", profile=("jeune et dynamique",)), voice=tu_voice)
    assert "Rémunération" not in ad.text and "€" not in ad.text
    assert any("fourchette de salaire" in w for w in ad.warnings)
    assert any("Critère discriminatoire possible (l'âge) : « jeune »" in w for w in ad.warnings)
    assert "CDD de 6 mois" in ad.text and "Tes missions" in ad.text and "Envoie ton CV" in ad.text
    assert not re.search(r"\b(vous|votre|vos)\b", ad.text.replace("Poste ouvert", ""))


def test_empty_or_too_long_brief_is_a_french_error() -> None:
    for bad in ("", "   ", "\n"):
        with pytest.raises(WritingError, match="Le brief est vide"):
            write_job_ad(bad)
        with pytest.raises(WritingError, match="Le brief est vide"):
            outline_blog_post(bad)
    with pytest.raises(WritingError, match="Le brief est vide"):
        write_job_ad(JobBrief(title=" "))
    with pytest.raises(WritingError, match="trop long"):
        outline_blog_post("x" * 6000)
    with pytest.raises(WritingError, match="irréaliste"):
        outline_blog_post("Comment choisir son parquet, 50000 mots")


def test_blog_outline_for_a_choice_topic() -> None:
    outline = outline_blog_post(
        "Comment choisir ses lunettes selon la forme de son visage, 800 mots, public : grand public, mots-clés : lunettes, forme du visage",
        company="Vision Plus",
    )
    assert outline.brief.length_words == 800 and outline.brief.keywords == ("lunettes", "forme du visage")
    assert outline.h1 == "Comment choisir ses lunettes selon la forme de son visage"
    assert len(outline.seo_title) <= 60 and len(outline.meta_description) <= 155
    assert outline.slug == "comment-choisir-ses-lunettes-selon-la-forme-de-son-visage"
    headings = [s.heading for s in outline.sections]
    assert "Les critères essentiels" in headings and len(headings) >= 4
    assert sum(s.words for s in outline.sections) <= 800
    assert "Placer le mot-clé « lunettes »" in outline.sections[0].points
    assert "## Questions fréquentes" in outline.text and "Appel à l'action" in outline.text
    assert outline.label == TEMPLATE_LABEL
    assert not [w for w in outline.draft.warnings if w.startswith("Fait non vérifié")]


def test_outline_shapes_follow_the_topic() -> None:
    listing = outline_blog_post("5 conseils pour entretenir sa terrasse en bois")
    assert [s.heading.split(".")[0] for s in listing.sections] == ["1", "2", "3", "4", "5"]
    versus = outline_blog_post(BlogBrief(topic="Parquet massif ou contrecollé ?"), voice=Voice(address="tu"))
    assert versus.sections[0].heading.startswith("Parquet massif") and versus.sections[1].heading.startswith("Contrecollé")
    assert "Lequel choisir selon ta situation ?" in [s.heading for s in versus.sections]
    howto = outline_blog_post("Comment poser une étagère murale")
    assert "Étape par étape" in [s.heading for s in howto.sections]
