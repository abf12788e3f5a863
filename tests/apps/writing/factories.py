"""Builders for every writing model (the core isolation test needs one per model), and helpers that make
realistic writing data through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tests.factories import builder

_n = itertools.count(1)

TODAY = dt.date(2026, 11, 26)  # a Thursday: the week planned by default starts on Monday 30/11/2026
WEEK = dt.date(2026, 11, 30)


def make_profile(company, **fields):
    """Menuiserie Martin's facts (guide ch. 1.4), with an offer valid during WEEK."""
    from etabli.writing.services import save_profile

    values = dict(
        trade="menuiserie", city="Nantes",
        products="fenêtres bois double vitrage\nescaliers sur mesure\nparquets en chêne massif",
        website="menuiserie-martin.fr", phone="02 40 12 34 56", hashtags="#MenuiserieNantes",
        tips="", behind_the_scenes="", networks="facebook",
        offer_title="Fenêtre bois double vitrage sur mesure", offer_price=Decimal("849.00"),
        offer_regular_price=Decimal("979.00"), offer_start=dt.date(2026, 11, 16), offer_end=dt.date(2026, 12, 20),
        offer_conditions="prix TTC par fenêtre, pose en sus",
    )
    values.update(fields)
    testimonials = [{"author": "Camille D.", "city": "Rezé", "consent": True,
                     "text": "Escalier sur mesure posé en deux jours, des finitions impeccables. Je recommande !"}]
    events = [{"title": "Portes ouvertes de l'atelier", "date": dt.date(2026, 12, 12), "time": "10h",
               "place": "12 rue des Artisans, Nantes"}]
    return save_profile(company=company, fields=values, testimonials=testimonials, events=events)


def make_posts_batch(company, **kwargs):
    from etabli.writing.services import request_posts

    make_profile(company) if not _has_profile(company) else None
    kwargs.setdefault("themes", ["conseil", "temoignage", "offre"])
    kwargs.setdefault("week_start", WEEK)
    kwargs.setdefault("run", "inline")
    return request_posts(company=company, **kwargs)


def _has_profile(company) -> bool:
    from etabli.writing.models import WritingProfile

    return WritingProfile.objects.filter(company=company).exists()


# --- Builders for the isolation tests --------------------------------------------------------------------
@builder("writing.WritingProfile")
def _profile(company):
    return make_profile(company)


@builder("writing.Testimonial")
def _testimonial(company):
    from etabli.writing.models import Testimonial

    return Testimonial.objects.create(company=company, author=f"Client {next(_n)}", text="Très bon travail.",
                                      consent=True)


@builder("writing.Event")
def _event(company):
    from etabli.writing.models import Event

    return Event.objects.create(company=company, title="Salon de l'habitat", date=dt.date(2026, 12, 5))


@builder("writing.Batch")
def _batch(company):
    return make_posts_batch(company)


@builder("writing.Draft")
def _draft(company):
    return make_posts_batch(company).drafts.first()
