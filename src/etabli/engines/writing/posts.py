"""Social posts for the week (guide ch. 6.1 A): conseil, témoignage, offre du mois, coulisses, événement.

The guide's plumber spent 3 hours a week on three posts; the target is 10 minutes including the human
edit. The template path writes a complete post per theme from the company's facts — tip, customer
quote, offer with its price and dates, behind-the-scenes, event — in the company's voice, fitted to
each network's length limit, with hashtags and a suggested day and time. It never states a price, a
date or a testimonial that is not in the input: a missing testimonial becomes a call for reviews (fake
reviews are a deceptive commercial practice), a missing offer or event is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from etabli.common.formats import format_eur
from etabli.common.money import round_cents, to_decimal
from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import ComposeRequest, Draft, compose, facts_block, system_prompt
from etabli.engines.writing._text import (
    capitalize_first,
    de,
    fold,
    hashtag,
    resolve_address,
    stable_index,
    truncate_words,
)
from etabli.engines.writing._voice import DEFAULT_VOICE, drop_avoided, emoji, exclaim, pick
from etabli.engines.writing.dates import WEEKDAYS
from etabli.engines.writing.errors import WritingError

if TYPE_CHECKING:
    from etabli.engines.llm import LLMEngine


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Offer:
    """The offer of the month. ``price`` and dates are stated only if given here."""

    title: str
    price: Decimal | str | int | None = None
    regular_price: Decimal | str | int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    conditions: str = ""


@dataclass(frozen=True)
class Testimonial:
    """A real customer's words, quoted as given (with their consent — the app asks for it)."""

    author: str
    text: str
    city: str = ""


@dataclass(frozen=True)
class Event:
    """An event the company takes part in (open day, fair, workshop)."""

    title: str
    date: dt.date
    time: str = ""
    place: str = ""
    description: str = ""


@dataclass(frozen=True)
class CompanyProfile:
    """The brand facts every post may use, and nothing else."""

    name: str
    trade: str
    city: str = ""
    products: tuple[str, ...] = ()
    offer: Offer | None = None
    website: str = ""
    phone: str = ""
    hashtags: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    testimonials: tuple[Testimonial, ...] = ()
    behind_the_scenes: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class NetworkRules:
    """Length limit (hard, by the network), target length (what reads well) and hashtag count."""

    key: str
    label: str
    limit: int
    target: int
    max_hashtags: int
    slots: tuple[tuple[int, str], ...]  # (weekday 0=Monday, "HH:MM"), best first


# Slots are common-practice defaults for French small businesses (B2B mornings on LinkedIn, lunch and
# evening for Facebook/Instagram); the analytics module (C2) replaces them with the company's own.
NETWORKS: dict[str, NetworkRules] = {
    "linkedin": NetworkRules("linkedin", "LinkedIn", 3000, 1300, 5, ((1, "08:30"), (3, "08:30"), (2, "12:00"), (0, "09:00"), (4, "10:00"))),
    "facebook": NetworkRules("facebook", "Facebook", 63206, 600, 3, ((2, "13:00"), (4, "11:00"), (6, "10:00"), (0, "18:30"), (3, "19:00"), (5, "10:30"))),
    "instagram": NetworkRules("instagram", "Instagram", 2200, 900, 10, ((1, "11:00"), (3, "18:00"), (5, "10:30"), (4, "12:30"), (0, "19:00"), (6, "11:00"))),
    "x": NetworkRules("x", "X (Twitter)", 280, 280, 2, ((1, "09:00"), (2, "12:30"), (3, "17:00"), (0, "08:30"), (4, "12:00"))),
}
_NETWORK_ALIASES = {"twitter": "x", "x/twitter": "x", "fb": "facebook", "insta": "instagram", "ig": "instagram", "li": "linkedin"}

THEMES = ("conseil", "temoignage", "offre", "coulisses", "evenement")
THEME_LABELS = {
    "conseil": "Conseil",
    "temoignage": "Témoignage",
    "offre": "Offre du mois",
    "coulisses": "Coulisses",
    "evenement": "Événement",
}
_THEME_ALIASES = {
    "conseil": "conseil", "conseils": "conseil", "astuce": "conseil", "astuces": "conseil", "tip": "conseil",
    "temoignage": "temoignage", "temoignages": "temoignage", "avis": "temoignage", "avis client": "temoignage",
    "offre": "offre", "offre du mois": "offre", "promo": "offre", "promotion": "offre",
    "coulisses": "coulisses", "coulisse": "coulisses", "backstage": "coulisses", "atelier": "coulisses",
    "evenement": "evenement", "evenements": "evenement", "event": "evenement", "agenda": "evenement",
}


def normalise_theme(theme: str) -> str:
    """"Offre du mois", "offre", "promo" → "offre"; unknown themes raise a French error."""
    key = _THEME_ALIASES.get(fold(theme).strip())
    if key is None:
        known = ", ".join(THEME_LABELS[t].lower() for t in THEMES)
        raise WritingError(f"Thème inconnu : « {theme} ». Thèmes possibles : {known}.")
    return key


def normalise_network(network: str) -> NetworkRules:
    key = fold(network).strip()
    key = _NETWORK_ALIASES.get(key, key)
    if key not in NETWORKS:
        raise WritingError(f"Réseau inconnu : « {network} ». Réseaux possibles : LinkedIn, Facebook, Instagram, X (Twitter).")
    return NETWORKS[key]


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SocialPost:
    """One post proposed for one network, with its suggested publication time and draft metadata."""

    theme: str
    network: str
    text: str
    hashtags: tuple[str, ...]
    suggested_at: dt.datetime | None
    suggested_slot: str
    draft: Draft
    length: int
    limit: int

    @property
    def generated_by_ai(self) -> bool:
        return self.draft.generated_by_ai

    @property
    def label(self) -> str:
        return self.draft.label

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.draft.warnings


@dataclass(frozen=True)
class PostsResult:
    """The week's posts; ``warnings`` gathers every post's warnings once (for a summary line)."""

    posts: tuple[SocialPost, ...]
    warnings: tuple[str, ...] = ()

    @property
    def generated_by_ai(self) -> bool:
        return any(post.generated_by_ai for post in self.posts)

    @property
    def texts(self) -> list[str]:
        return [post.text for post in self.posts]


# --------------------------------------------------------------------------------------------------
# Length
# --------------------------------------------------------------------------------------------------
def weighted_length(text: str, network: str) -> int:
    """Characters as the network counts them: X counts emojis and most non-Latin symbols as two."""
    if network != "x":
        return len(text)
    total = 0
    for char in text:
        code = ord(char)
        light = code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247
        total += 1 if light else 2
    return total


@dataclass
class _Part:
    text: str
    priority: int  # 0 = carries a fact and stays, 1 = useful, 2 = optional


def fit_post(parts: Sequence[_Part], hashtags: Sequence[str], rules: NetworkRules) -> tuple[str, tuple[str, ...], list[str]]:
    """Assemble a post within the network's limit, shortening smartly.

    Order of sacrifices: optional sentences (from the last), then hashtags beyond the first, then
    useful sentences, then the longest remaining sentence is cut at a word with "…". Sentences that
    carry facts (price, dates, quote) are cut last, so a price never silently disappears.
    """
    notes: list[str] = []
    kept = [part for part in parts if part.text.strip()]
    tags = list(hashtags[: rules.max_hashtags])

    def render() -> str:
        separator = "\n" if rules.key == "x" else "\n\n"
        body = separator.join(part.text for part in kept)
        return body + (separator + " ".join(tags) if tags else "")

    def too_long() -> bool:
        return weighted_length(render(), rules.key) > rules.target

    for priority in (2, 1):
        while too_long() and any(part.priority == priority for part in kept):
            index = max(i for i, part in enumerate(kept) if part.priority == priority)
            kept.pop(index)
            notes.append("Texte raccourci pour respecter la longueur conseillée du réseau.")
        if priority == 2:
            while too_long() and len(tags) > 1:
                tags.pop()
    while weighted_length(render(), rules.key) > rules.limit and kept:
        longest = max(range(len(kept)), key=lambda i: len(kept[i].text))
        excess = weighted_length(render(), rules.key) - rules.limit
        new_length = max(10, len(kept[longest].text) - excess - 2)
        if new_length >= len(kept[longest].text):
            break
        kept[longest] = _Part(truncate_words(kept[longest].text, new_length), kept[longest].priority)
        notes.append("Une phrase a été coupée (« … ») pour tenir dans la limite du réseau : relisez-la.")
        if len(kept[longest].text) <= 11 and weighted_length(render(), rules.key) > rules.limit:
            kept.pop(longest)
    if weighted_length(render(), rules.key) > rules.limit:
        tags = []
    return render(), tuple(tags), list(dict.fromkeys(notes))


# --------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------
def _french_day_month(value: dt.date) -> str:
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {months[value.month - 1]}"


def _offer_dates(offer: Offer) -> str:
    if offer.start and offer.end:
        return f"du {_french_day_month(offer.start)} au {_french_day_month(offer.end)}"
    if offer.end:
        return f"jusqu'au {_french_day_month(offer.end)}"
    if offer.start:
        return f"à partir du {_french_day_month(offer.start)}"
    return ""


def _money(value: Decimal | str | int | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = round_cents(to_decimal(value))
    except (ValueError, TypeError) as exc:
        raise WritingError(f"Prix invalide dans l'offre : « {value} ».") from exc
    if amount < 0:
        raise WritingError(f"Prix négatif dans l'offre : « {value} ».")
    return amount


def _eur(amount: Decimal) -> str:
    """Whole euros without ",00" ("49 €"), cents otherwise ("49,90 €") — as prices are shown in shops."""
    if amount == amount.to_integral_value():
        return format_eur(amount, decimals=0)
    return format_eur(amount)


def _contact_line(company: CompanyProfile, voice: Voice, key: object) -> str:
    if company.phone and company.website:
        return pick(
            (f"<<Contactez-nous|Contacte-nous>> au {company.phone} ou sur {company.website}.",
             f"Infos et devis : {company.phone} – {company.website}."),
            voice=voice, key=key,
        )
    if company.phone:
        return pick((f"<<Appelez-nous|Appelle-nous>> au {company.phone}.", f"Un renseignement ? {company.phone}."), voice=voice, key=key)
    if company.website:
        return pick((f"Tous les détails sur {company.website}.", f"<<Rendez-vous|Rends-toi>> sur {company.website}."), voice=voice, key=key)
    return pick(
        ("<<Écrivez-nous|Écris-nous>> en message privé pour en parler.",
         "Une question ? <<Envoyez-nous|Envoie-nous>> un message.",
         "Nous <<vous|te>> répondons en message privé."),
        voice=voice, key=key,
    )


# Tips carry no figures on purpose: a template must not state a number the company did not give.
# Each entry: (prefixes of a trade word, exact trade words, tips as (title, advice with <<vous|tu>> forms)).
_TRADE_TIPS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (("menuis", "ebenist", "charpent"), (), (
        ("Entretenir ses fenêtres en bois", "Un nettoyage à l'eau savonneuse puis une couche de lasure quand le bois grisaille suffisent à les protéger des intempéries."),
        ("Une porte qui frotte ?", "Avant de raboter, <<vérifiez|vérifie>> les vis des charnières : bien souvent, un simple resserrage règle le problème."),
        ("Choisir son essence de bois", "Chêne pour la durabilité, pin pour le budget, mélèze pour l'extérieur : chaque essence a ses usages."),
    )),
    (("plomb", "chauffag"), (), (
        ("Prévenir les fuites", "<<Vérifiez|Vérifie>> régulièrement <<vos|tes>> joints et <<nettoyez|nettoie>> les aérateurs de <<vos|tes>> robinets : la plupart des fuites s'annoncent par un goutte-à-goutte discret."),
        ("Avant de partir en vacances", "<<Coupez|Coupe>> l'arrivée d'eau générale : c'est le meilleur moyen d'éviter un dégât des eaux en <<votre|ton>> absence."),
        ("Un évier qui se bouche ?", "<<Évitez|Évite>> les déboucheurs chimiques qui abîment les canalisations : une ventouse et de l'eau chaude font souvent l'affaire."),
    )),
    (("boulang", "patiss"), (), (
        ("Garder son pain frais", "<<Conservez|Conserve>> <<votre|ton>> pain dans un sac en tissu, jamais au réfrigérateur : il y rassit plus vite."),
        ("Réchauffer une baguette", "<<Passez-la|Passe-la>> quelques instants sous un filet d'eau puis au four chaud : elle retrouve son croustillant."),
    )),
    (("restaura", "traiteur", "bistro", "brasser"), (), (
        ("Réserver malin", "Les services du midi en semaine sont les plus calmes : idéal pour un déjeuner d'affaires."),
        ("Allergies et intolérances", "<<Signalez-les|Signale-les>> à la réservation : notre cuisine adapte les plats dans la mesure du possible."),
    )),
    (("coiff", "barbier"), (), (
        ("Protéger ses cheveux du soleil", "Un soin sans rinçage avant l'exposition et un chapeau limitent le dessèchement des longueurs."),
        ("Espacer les shampoings", "Un shampoing doux, moins souvent, préserve l'équilibre naturel du cuir chevelu."),
    )),
    (("garag", "mecani", "carross"), (), (
        ("Vérifier ses pneus", "<<Contrôlez|Contrôle>> la pression à froid, une fois par mois et avant un long trajet : sécurité et consommation y gagnent."),
        ("Un voyant s'allume ?", "Ne <<l'ignorez|l'ignore>> pas : un diagnostic rapide évite souvent une réparation bien plus coûteuse."),
    )),
    (("fleur",), (), (
        ("Faire durer un bouquet", "<<Recoupez|Recoupe>> les tiges en biseau et <<changez|change>> l'eau souvent, loin des fruits et des radiateurs."),
    )),
    (("epicer", "salon de the"), ("the", "thes"), (
        ("Réussir son infusion", "L'eau frémissante, pas bouillante, pour les thés verts : elle préserve leurs notes délicates."),
        ("Conserver son thé", "À l'abri de la lumière, de l'humidité et des odeurs, dans une boîte hermétique."),
    )),
    (("electric",), (), (
        ("Sécurité électrique", "<<Testez|Teste>> régulièrement le bouton de <<votre|ton>> disjoncteur différentiel : il doit couper le courant immédiatement."),
    )),
    (("paysag", "jardin"), (), (
        ("Arroser au bon moment", "Le matin tôt ou le soir : l'eau profite aux racines au lieu de s'évaporer."),
    )),
)


def _trade_tips(company: CompanyProfile) -> list[tuple[str, str]]:
    words = fold(company.trade).replace("-", " ").split()
    tips: list[tuple[str, str]] = []
    for prefixes, exact, entries in _TRADE_TIPS:
        if any(word.startswith(prefixes) for word in words) or any(word in exact for word in words):
            tips.extend(entries)
    return tips


def _tip(company: CompanyProfile, voice: Voice, key: object) -> tuple[str, str]:
    """(title, advice). Company-supplied tips come first; built-in trade tips are number-free."""
    if company.tips:
        tip = company.tips[stable_index(key, modulo=len(company.tips))].strip()
        title, sep, advice = tip.partition(":")
        if not sep or len(title) > 60:
            title, advice = "", tip
        return title.strip(), advice.strip()
    trade_tips = _trade_tips(company)
    if trade_tips:
        title, advice = trade_tips[stable_index(key, modulo=len(trade_tips))]
        return title, resolve_address(advice, voice.address)
    product = company.products[stable_index(key, modulo=len(company.products))] if company.products else company.trade
    advice = pick(
        ("Avant d'acheter, <<posez-vous|pose-toi>> les bonnes questions : pour quel usage, à quelle fréquence, avec quel entretien ? Un professionnel saura <<vous orienter|t'orienter>>.",
         "Le bon choix dépend d'abord de l'usage : <<décrivez-nous le vôtre|décris-nous le tien>> et nous <<vous guiderons|te guiderons>> vers la solution adaptée."),
        voice=voice, key=("tipgen", key),
    )
    return resolve_address(f"avant de <<vous|te>> décider : {product}", voice.address), advice


def _common_tags(company: CompanyProfile) -> list[str]:
    tags = [tag if tag.startswith("#") else hashtag(tag) for tag in company.hashtags]
    trade_word = company.trade.split()[0] if company.trade.split() else ""
    tags.append(hashtag(trade_word))
    if company.city:
        tags.append(hashtag(f"{trade_word} {company.city}"))
        tags.append(hashtag(company.city))
    tags.append(hashtag(company.name))
    return [tag for tag in dict.fromkeys(tags) if len(tag) > 1]


_THEME_TAGS = {
    "conseil": ("#Conseil", "#Astuce"),
    "temoignage": ("#AvisClient", "#Merci"),
    "offre": ("#OffreDuMois", "#BonPlan"),
    "coulisses": ("#Coulisses", "#SavoirFaire"),
    "evenement": ("#Evenement", "#Agenda"),
}


def _hashtags(company: CompanyProfile, theme: str) -> list[str]:
    common = _common_tags(company)
    theme_tags = list(_THEME_TAGS[theme])
    # user tags first, then the theme, then trade and city: the first ones survive on X.
    user = [t for t in common if t in {h if h.startswith("#") else hashtag(h) for h in company.hashtags}]
    rest = [t for t in common if t not in user]
    return list(dict.fromkeys(user + theme_tags[:1] + rest + theme_tags[1:]))


# --------------------------------------------------------------------------------------------------
# Themes → parts
# --------------------------------------------------------------------------------------------------
def _conseil(company: CompanyProfile, voice: Voice, key: object) -> tuple[list[_Part], list[str]]:
    title, advice = _tip(company, voice, key)
    hook = pick(
        (f"{emoji(voice, '💡')}Le conseil de la semaine{' : ' + title if title else ''}",
         f"{emoji(voice, '💡')}Astuce de pro{' : ' + title if title else ''}",
         f"{emoji(voice, '💡')}<<Le saviez-vous|Le savais-tu>> ?{' ' + capitalize_first(title) if title else ''}"),
        voice=voice, key=("hook", key),
    )
    where = f", {company.trade} à {company.city}" if company.city else f", {company.trade}"
    link = pick(
        (f"Chez {company.name}{where}, nous <<vous|te>> conseillons volontiers.",
         f"L'équipe {de(company.name)} reste à <<votre|ta>> disposition pour en parler.",
         f"Besoin d'un avis de professionnel ? {company.name} est là pour <<vous aider|t'aider>>."),
        voice=voice, key=("link", key),
    )
    return [
        _Part(hook, 1),
        _Part(advice, 0),
        _Part(link, 2),
        _Part(_contact_line(company, voice, ("contact", key)), 1),
    ], []


def _temoignage(company: CompanyProfile, voice: Voice, key: object) -> tuple[list[_Part], list[str]]:
    if company.testimonials:
        quote = company.testimonials[stable_index(key, modulo=len(company.testimonials))]
        who = f"{quote.author}, {quote.city}" if quote.city else quote.author
        text = quote.text.strip().strip("«»\"“” ")
        first = quote.author.split()[0] if quote.author.split() else ""
        thanks = pick(
            ("Merci pour <<votre|ta>> confiance !", f"Merci {first} pour ce retour qui fait chaud au cœur !" if first else "Merci pour ce retour !",
             "Vos retours sont notre meilleure récompense." if voice.address == "vous" else "Tes retours sont notre meilleure récompense."),
            voice=voice, key=("thanks", key),
        )
        invite = pick(
            ("<<Vous aussi, vous avez un projet|Toi aussi, tu as un projet>> ? Parlons-en.",
             f"<<Envie de confier votre projet|Envie de confier ton projet>> à {company.name} ?"),
            voice=voice, key=("invite", key),
        )
        return [
            _Part(f"{emoji(voice, '⭐')}« {text} » — {who}", 0),
            _Part(exclaim(voice, thanks), 1),
            _Part(invite, 2),
            _Part(_contact_line(company, voice, ("contact", key)), 2),
        ], []
    ask = pick(
        (f"<<Vous avez fait appel|Tu as fait appel>> à {company.name} ? <<Votre|Ton>> avis compte !",
         f"<<Votre|Ton>> avis nous intéresse : comment s'est passée <<votre|ta>> dernière expérience avec {company.name} ?"),
        voice=voice, key=("ask", key),
    )
    how = pick(
        ("<<Laissez-nous|Laisse-nous>> un commentaire ou un avis en ligne : c'est ce qui aide le plus une entreprise locale.",
         "Un mot en commentaire suffit : chaque retour nous aide à progresser et à nous faire connaître."),
        voice=voice, key=("how", key),
    )
    return [
        _Part(f"{emoji(voice, '⭐')}{exclaim(voice, ask)}", 0),
        _Part(how, 1),
        _Part(exclaim(voice, "Merci d'avance !"), 2),
    ], ["Aucun témoignage fourni : la publication appelle aux avis au lieu d'en inventer un."]


def _offre(company: CompanyProfile, voice: Voice, key: object) -> tuple[list[_Part], list[str]]:
    offer = company.offer
    if offer is None or not offer.title.strip():
        raise WritingError("Thème « offre du mois » demandé sans offre : renseignez l'offre (intitulé, prix, dates).")
    price, regular = _money(offer.price), _money(offer.regular_price)
    headline = pick(
        (f"{emoji(voice, '🎁')}Offre du mois : {offer.title.strip()}", f"{emoji(voice, '🎁')}Ce mois-ci chez {company.name} : {offer.title.strip()}"),
        voice=voice, key=("offerhook", key),
    )
    facts: list[str] = []
    if price is not None and regular is not None and regular > price:
        facts.append(f"{_eur(price)} au lieu de {_eur(regular)}")
    elif price is not None:
        facts.append(f"Prix : {_eur(price)}")
    dates = _offer_dates(offer)
    if dates:
        facts.append(f"Offre valable {dates}")
    fact_sentence = " – ".join(facts) + "." if facts else ""
    conditions = offer.conditions.strip()
    if conditions and not conditions.endswith((".", "!", "?")):
        conditions += "."
    products = ""
    if company.products:
        listed = ", ".join(company.products[:3])
        products = pick((f"Nos spécialités : {listed}.", f"À découvrir aussi : {listed}."), voice=voice, key=("products", key))
    cta = pick(
        ("<<Demandez|Demande>> <<votre|ton>> devis sans attendre !", "<<Profitez-en|Profites-en>> !", "<<Réservez|Réserve>> dès maintenant !"),
        voice=voice, key=("cta", key),
    )
    return [
        _Part(headline, 0),
        _Part(fact_sentence, 0),
        _Part(f"Conditions : {conditions}" if conditions else "", 1),
        _Part(products, 2),
        _Part(exclaim(voice, cta), 1),
        _Part(_contact_line(company, voice, ("contact", key)), 2),
    ], []


def _coulisses(company: CompanyProfile, voice: Voice, key: object) -> tuple[list[_Part], list[str]]:
    hook = pick(
        (f"{emoji(voice, '🔧')}Dans les coulisses {de(company.name)}", f"{emoji(voice, '🔧')}Un peu de coulisses cette semaine"),
        voice=voice, key=("bts", key),
    )
    warnings: list[str] = []
    if company.behind_the_scenes:
        scene = company.behind_the_scenes[stable_index(key, modulo=len(company.behind_the_scenes))].strip()
        if not scene.endswith((".", "!", "?", "…")):
            scene += "."
        body = scene
    else:
        body = pick(
            ("Derrière chaque réalisation, il y a le savoir-faire d'une équipe passionnée par son métier.",
             f"Préparation, précision, finitions : voici à quoi ressemble notre quotidien {de(company.trade)}."),
            voice=voice, key=("btsbody", key),
        )
        warnings.append("Coulisses sans détail fourni : ajoutez une photo et un fait concret de la semaine avant de publier.")
    ask = pick(
        ("<<Vous aimeriez|Tu aimerais>> voir une étape en particulier ? <<Dites-le|Dis-le>>-nous en commentaire.",
         "Une question sur notre façon de travailler ? Nous répondons en commentaire."),
        voice=voice, key=("btsask", key),
    )
    return [_Part(hook, 1), _Part(body, 0), _Part(ask, 2)], warnings


def _evenement(company: CompanyProfile, voice: Voice, key: object, week_start: dt.date | None) -> tuple[list[_Part], list[str], Event]:
    if not company.events:
        raise WritingError("Thème « événement » demandé sans événement : indiquez au moins son nom et sa date.")
    upcoming = sorted(
        (event for event in company.events if week_start is None or event.date >= week_start),
        key=lambda event: event.date,
    ) or sorted(company.events, key=lambda event: event.date)
    event = upcoming[0]
    when = f"le {WEEKDAYS[event.date.weekday()]} {_french_day_month(event.date)}"
    if event.time:
        when += f" à {event.time}"
    where = f", {event.place}" if event.place else ""
    head = pick(
        (f"{emoji(voice, '📅')}À noter dans <<vos|tes>> agendas !", f"{emoji(voice, '📅')}Un rendez-vous à ne pas manquer !",
         f"{emoji(voice, '📅')}<<Nous vous donnons|On te donne>> rendez-vous !"),
        voice=voice, key=("eventhook", key),
    )
    description = event.description.strip()
    if description and not description.endswith((".", "!", "?")):
        description += "."
    come = pick(
        ("Nous serons ravis de <<vous y accueillir|t'y accueillir>> !", "<<Venez|Viens>> nous rencontrer !"),
        voice=voice, key=("come", key),
    )
    return [
        _Part(exclaim(voice, head), 1),
        _Part(f"{event.title.strip()}, {when}{where}.", 0),
        _Part(description, 1),
        _Part(exclaim(voice, come), 2),
        _Part(_contact_line(company, voice, ("contact", key)), 2),
    ], [], event


# --------------------------------------------------------------------------------------------------
# Scheduling
# --------------------------------------------------------------------------------------------------
def _hour(hour: str) -> str:
    """"08:30" → "8h30", "13:00" → "13h"."""
    hours, minutes = hour.split(":")
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"


def _slot(rules: NetworkRules, theme: str, week_start: dt.date | None, used_days: set[int], company: CompanyProfile, event: Event | None) -> tuple[dt.datetime | None, str]:
    """The best free (day, time) of the week for this network, respecting offer and event dates."""
    candidates = list(rules.slots)
    if theme == "offre":
        candidates.sort(key=lambda slot: slot[0])  # announce an offer early in the week
    for weekday, hour in candidates + [(d, candidates[0][1]) for d in range(7)]:
        if weekday in used_days:
            continue
        if week_start is not None:
            day = week_start + dt.timedelta(days=(weekday - week_start.weekday()) % 7)
            if theme == "offre" and company.offer is not None:
                if company.offer.end and day > company.offer.end:
                    continue
                if company.offer.start and day < company.offer.start:
                    continue
            if theme == "evenement" and event is not None and day > event.date:
                continue
            used_days.add(weekday)
            hours, minutes = (int(part) for part in hour.split(":"))
            moment = dt.datetime.combine(day, dt.time(hours, minutes))
            return moment, f"{WEEKDAYS[day.weekday()]} {day.strftime('%d/%m')} à {_hour(hour)}"
        used_days.add(weekday)
        return None, f"{WEEKDAYS[weekday]} à {_hour(hour)}"
    return None, "à planifier"


# --------------------------------------------------------------------------------------------------
# Prompt
# --------------------------------------------------------------------------------------------------
def post_facts(company: CompanyProfile, theme: str, event: Event | None = None) -> dict[str, Any]:
    """The facts a post about ``theme`` may cite (used for the prompt and the grounding check)."""
    facts: dict[str, Any] = {
        "Entreprise": company.name,
        "Métier": company.trade,
        "Ville": company.city,
        "Produits et services": list(company.products),
        "Site": company.website,
        "Téléphone": company.phone,
    }
    if theme == "offre" and company.offer is not None:
        offer = company.offer
        price, regular = _money(offer.price), _money(offer.regular_price)
        facts.update({
            "Offre": offer.title,
            "Prix de l'offre": _eur(price) if price is not None else "",
            "Prix habituel": _eur(regular) if regular is not None else "",
            "Début de l'offre": offer.start.strftime("%d/%m/%Y") if offer.start else "",
            "Fin de l'offre": offer.end.strftime("%d/%m/%Y") if offer.end else "",
            "Conditions": offer.conditions,
        })
    if theme == "temoignage" and company.testimonials:
        facts["Témoignages (à citer mot pour mot)"] = [f"« {t.text} » — {t.author} {t.city}".strip() for t in company.testimonials]
    if theme == "conseil" and company.tips:
        facts["Conseils"] = list(company.tips)
    if theme == "coulisses" and company.behind_the_scenes:
        facts["Coulisses"] = list(company.behind_the_scenes)
    if theme == "evenement" and event is not None:
        facts.update({
            "Événement": event.title,
            "Date de l'événement": f"{WEEKDAYS[event.date.weekday()]} {event.date.strftime('%d/%m/%Y')}",
            "Heure": event.time,
            "Lieu": event.place,
            "Description": event.description,
        })
    return facts


_THEME_BRIEFS = {
    "conseil": "un conseil pratique utile aux clients, lié au métier",
    "temoignage": "un témoignage client : citez uniquement un témoignage fourni ci-dessous, mot pour mot ; s'il n'y en a pas, invitez les clients à laisser un avis",
    "offre": "l'offre du mois, avec son prix et ses dates exactement comme indiqués",
    "coulisses": "les coulisses de l'entreprise (savoir-faire, équipe, atelier)",
    "evenement": "l'annonce de l'événement, avec sa date exacte",
}


def build_post_prompt(company: CompanyProfile, theme: str, rules: NetworkRules, voice: Voice, hashtags: Sequence[str], event: Event | None = None) -> tuple[str, str]:
    """(system, prompt) for one post: the voice, the theme, the facts, the length limit, the hashtags."""
    facts = facts_block(post_facts(company, theme, event))
    prompt = (
        f"Rédigez une publication {rules.label} pour {company.name} ({company.trade}"
        f"{', ' + company.city if company.city else ''}).\n"
        f"Thème : {_THEME_BRIEFS[theme]}.\n"
        f"Longueur : {rules.target} caractères au maximum, hashtags compris.\n"
        f"Terminez par ces hashtags : {' '.join(hashtags[: rules.max_hashtags])}\n\n"
        f"Informations à utiliser (et aucune autre) :\n{facts}"
    )
    extra = "Écrivez une publication pour les réseaux sociaux : phrases courtes, une accroche, un appel à l'action."
    return system_prompt(voice, extra), prompt


# --------------------------------------------------------------------------------------------------
# Public function
# --------------------------------------------------------------------------------------------------
def write_posts(
    company: CompanyProfile,
    themes: Sequence[str],
    *,
    networks: Sequence[str] = ("facebook",),
    count: int | None = None,
    week_start: dt.date | None = None,
    voice: Voice | None = None,
    engine: LLMEngine | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> PostsResult:
    """Posts for the week: one per theme (or ``count`` posts cycling the themes) for each network.

    Without ``engine`` the template path writes them; with one, the model does and the template is its
    fallback. ``week_start`` (the first day of the seven days to plan) dates the suggested slots; ``seed`` varies wordings
    from one week to the next.
    """
    if not company.name.strip() or not company.trade.strip():
        raise WritingError("Indiquez au moins le nom de l'entreprise et son métier pour rédiger des publications.")
    theme_keys = [normalise_theme(theme) for theme in themes if theme.strip()]
    if not theme_keys:
        raise WritingError("Aucun thème choisi : indiquez par exemple « conseil, témoignage, offre du mois ».")
    if count is not None:
        if not 1 <= count <= 14:
            raise WritingError("Le nombre de publications doit être compris entre 1 et 14 par semaine.")
        theme_keys = [theme_keys[i % len(theme_keys)] for i in range(count)]
    rules_list = [normalise_network(network) for network in networks] or [NETWORKS["facebook"]]
    voice = voice or DEFAULT_VOICE
    posts: list[SocialPost] = []
    total = len(theme_keys) * len(rules_list)
    for rules in rules_list:
        used_days: set[int] = set()
        for index, theme in enumerate(theme_keys):
            key = (seed, theme, index, week_start.isoformat() if week_start else "")
            event: Event | None = None
            if theme == "evenement":
                parts, notes, event = _evenement(company, voice, key, week_start)
            else:
                parts, notes = {
                    "conseil": _conseil, "temoignage": _temoignage, "offre": _offre, "coulisses": _coulisses,
                }[theme](company, voice, key)
            fact_parts = [part.text for part in parts if part.priority == 0]
            kept_texts = drop_avoided([part.text for part in parts], voice, keep=fact_parts)
            parts = [part for part in parts if part.text in kept_texts]
            tags = _hashtags(company, theme)
            text, used_tags, fit_notes = fit_post(parts, tags, rules)
            system, prompt = build_post_prompt(company, theme, rules, voice, used_tags, event)

            def fit_model_text(model_text: str, rules: NetworkRules = rules, used_tags: tuple[str, ...] = used_tags) -> str:
                fitted, _tags, _notes = fit_post([_Part(model_text.strip(), 0)], [t for t in used_tags if t not in model_text], rules)
                return fitted

            draft = compose(
                ComposeRequest(
                    feature="writing.posts",
                    template_text=text,
                    prompt=prompt,
                    system=system,
                    facts={**post_facts(company, theme, event), "Hashtags": list(used_tags)},
                    postprocess=fit_model_text,
                    max_tokens=120 if rules.key == "x" else 350,
                ),
                voice=voice,
                engine=engine,
            )
            # Shortening notes describe the template text; they do not apply to a model's draft.
            extra_notes = (*notes, *(fit_notes if not draft.generated_by_ai else ()))
            if extra_notes:
                draft = replace(draft, warnings=tuple(dict.fromkeys((*extra_notes, *draft.warnings))))
            moment, slot = _slot(rules, theme, week_start, used_days, company, event)
            posts.append(
                SocialPost(
                    theme=theme,
                    network=rules.key,
                    text=draft.text,
                    hashtags=tuple(tag for tag in used_tags if tag in draft.text),
                    suggested_at=moment,
                    suggested_slot=slot,
                    draft=draft,
                    length=weighted_length(draft.text, rules.key),
                    limit=rules.limit,
                )
            )
            if progress is not None:
                progress(len(posts), total)
    warnings = [warning for post in posts for warning in post.warnings]
    return PostsResult(posts=tuple(posts), warnings=tuple(dict.fromkeys(warnings)))
