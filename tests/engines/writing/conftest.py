"""Shared inputs for the writing engine tests: a joinery's facts, voices, and a helper that lists the
numbers of a text (to prove templates cite no number absent from the input)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from etabli.engines.llm import Voice
from etabli.engines.writing import (
    CompanyProfile,
    EmailInput,
    Event,
    Offer,
    Testimonial,
    ThreadMessage,
    describe_products,
    draft_replies,
    outline_blog_post,
    summarize_thread,
    write_job_ad,
    write_posts,
)


@pytest.fixture
def company() -> CompanyProfile:
    return CompanyProfile(
        name="Menuiserie Martin",
        trade="menuiserie",
        city="Lyon",
        products=("escaliers sur mesure", "fenêtres en chêne", "dressings"),
        offer=Offer(
            title="Pose de fenêtres en chêne",
            price="1290",
            regular_price=Decimal(1490),
            start=dt.date(2026, 11, 1),
            end=dt.date(2026, 11, 30),
            conditions="sur devis signé pendant l'offre",
        ),
        phone="04 78 12 34 56",
        website="www.menuiserie-martin.fr",
        testimonials=(Testimonial("Claire Dubois", "Travail soigné, délais tenus, je recommande !", "Villeurbanne"),),
        events=(Event("Portes ouvertes de l'atelier", dt.date(2026, 11, 28), "10h", "12 rue des Artisans, Lyon"),),
    )


@pytest.fixture
def vous_voice() -> Voice:
    return Voice(tone="professionnel mais chaleureux", address="vous", signature="Jean Martin\nMenuiserie Martin")


@pytest.fixture
def tu_voice() -> Voice:
    return Voice(tone="sobre", address="tu", words_to_avoid=("désolés", "découvrez", "profitez"), signature="L'équipe Martin")


def numbers_in(text: str) -> set[str]:
    """Digit groups of a text ("1 290 €" → {"1", "290"}), used to compare a draft with its inputs."""
    return set(re.findall(r"\d+", text.replace("\u202f", " ").replace("\xa0", " ")))


MAIL = EmailInput("Paul Martin <paul@orange.fr>", "Devis escalier", "Pouvez-vous m'envoyer un devis pour un escalier ? Pas urgent.",
                  date=dt.datetime(2026, 11, 23, 9, 0))


def run_every_feature(engine: Any, company: CompanyProfile, voice: Voice) -> dict[str, tuple[str, bool, str]]:
    """(text, generated_by_ai, label) of one call of each feature."""
    post = write_posts(company, ["offre"], voice=voice, engine=engine).posts[0]
    product = describe_products([{"nom": "Thé vert Sencha", "origine": "Japon", "poids": "100g"}], voice=voice, engine=engine)[0]
    reply = draft_replies(MAIL, voice=voice, engine=engine).drafts[0]
    summary = summarize_thread([ThreadMessage("Julie", "Je vous envoie le devis avant vendredi, comme convenu hier.")], voice=voice, engine=engine)
    job = write_job_ad("Menuisier poseur, CDI, Lyon", voice=voice, engine=engine)
    blog = outline_blog_post("Comment choisir son parquet", voice=voice, engine=engine)
    return {
        "post": (post.text, post.generated_by_ai, post.label),
        "product": (product.description, product.generated_by_ai, product.label),
        "reply": (reply.text, reply.generated_by_ai, reply.label),
        "summary": (summary.text, summary.generated_by_ai, summary.label),
        "job": (job.text, job.generated_by_ai, job.label),
        "blog": (blog.text, blog.generated_by_ai, blog.label),
    }
