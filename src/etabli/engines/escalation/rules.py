"""French rules that spot a message a person should handle, with negation and product-name handling.

Why rules first: the cost of the two errors is not the same. A sensitive message answered by a robot
("Je veux parler à quelqu'un !" → "Je peux vous aider avec votre question", guide ch. 5.5) loses a
customer; a simple question handed to Sophie costs her a minute. So the rules are written for recall,
and every cue says, in French, why it fired, so the owner sees the reason in the inbox.

How a cue is judged:
- cues match on a folded, lower-case form; each has a category, a weight (strong 0.9 → sensitive on its
  own; medium 0.7; weak 0.4 → needs a second cue) and says whether a negation can cancel it;
- negation: a negation word among the five words before the cue, in the same clause ("ce n'est pas
  urgent", "pas besoin de parler à quelqu'un", "sans urgence", "rien d'urgent") cancels it. Cues that
  *are* a negation ("je ne suis pas content", "ne fonctionne plus", "je ne peux pas attendre") are
  written whole and cannot be cancelled; health/safety and legal cues cannot be cancelled either
  (a safety question goes to a person even when phrased "ce n'est pas dangereux ?");
- "urgent"/"urgence" in a product name (between quotes, after "kit", "coffret", "baume"…, or as a
  Capitalised word mid-sentence: "le coffret Urgence Chocolat") does not count;
- a personal event in a product request ("gâteau d'anniversaire", "faire-part de mariage", "pour les
  mariages") is only a weak cue; with a possessive ("notre mariage", "mon anniversaire") or on its own
  ("c'était pour l'anniversaire de ma fille") it is strong;
- "avocat" after "à l'", "aux", or next to food words is the fruit, not the lawyer.
The message's score is 1 − Π(1 − weight) over the cues kept; it is sensitive from 0.5.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etabli.engines.escalation._text import normalize_with_offsets, original_span

STRONG = 0.9
MEDIUM = 0.7
WEAK = 0.4
SENSITIVE_FROM = 0.5

CATEGORY_LABELS: dict[str, str] = {
    "demande_humain": "Demande à parler à une personne",
    "colere_detresse": "Colère ou détresse",
    "reclamation": "Réclamation",
    "urgence": "Urgence",
    "menace_juridique": "Menace de recours juridique",
    "sante_securite": "Santé ou sécurité",
    "evenement_personnel": "Événement personnel",
    "probleme_grave": "Problème grave",
    "signal_appris": "Ton ou contenu sensible (modèle appris)",
}

_NEGATIONS = {
    "pas",
    "jamais",
    "sans",
    "aucun",
    "aucune",
    "rien",
    "ni",
    "non",
    "nullement",
    "nul",
    "nulle",
    "inutile",
}
_CLAUSE_BOUNDARY = re.compile(r"[.!?;:,\n()]|\bmais\b|\bsinon\b|\bpar contre\b")
_WORD = re.compile(r"[a-z0-9']+")
_PRODUCT_NOUNS = {
    "kit",
    "kits",
    "coffret",
    "coffrets",
    "baume",
    "creme",
    "formule",
    "gamme",
    "collection",
    "pack",
    "modele",
    "reference",
    "offre",
    "option",
    "sos",
    "box",
    "serum",
    "spray",
    "trousse",
    "boite",
    "boites",
    "produit",
}
_EVENT_PRODUCT_NOUNS = _PRODUCT_NOUNS | {
    "gateau",
    "gateaux",
    "piece",
    "pieces",
    "montee",
    "montees",
    "faire",
    "part",
    "carte",
    "cartes",
    "buffet",
    "menu",
    "traiteur",
    "decoration",
    "decorations",
    "bougie",
    "bougies",
    "cadeau",
    "cadeaux",
    "liste",
    "commande",
    "commandes",
    "dragees",
    "invitation",
    "invitations",
    "theme",
    "bouquet",
}
_POSSESSIVES = {
    "mon",
    "ma",
    "mes",
    "notre",
    "nos",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "ton",
    "ta",
    "tes",
    "votre",
}
_FOOD_WORDS = {
    "sandwich",
    "sandwichs",
    "toast",
    "toasts",
    "salade",
    "salades",
    "guacamole",
    "crevette",
    "crevettes",
    "saumon",
    "thon",
    "bio",
    "mur",
    "murs",
    "mure",
    "mures",
    "tomate",
    "tomates",
    "mozzarella",
    "wrap",
    "bagel",
    "kilo",
    "kg",
    "poke",
    "bowl",
    "tartine",
    "avocat",
    "huile",
    "pain",
    "oeuf",
    "oeufs",
    "feta",
    "burger",
}


@dataclass(frozen=True)
class Signal:
    """One cue found in the message; `kept` is False when a negation or a product name cancelled it."""

    category: str
    weight: float
    excerpt: str
    start: int
    end: int
    kept: bool = True
    why_dropped: str = ""


@dataclass(frozen=True)
class _Cue:
    category: str
    pattern: re.Pattern[str]
    weight: float
    negatable: bool = True
    judge: Callable[[str, str, list[int], re.Match[str]], tuple[float, str]] | None = None


def _re(pattern: str) -> re.Pattern[str]:
    """Patterns are written with plain spaces: " " matches a run of spaces, " ?" an optional one."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


# ------------------------------------------------------------------------------------ special judges
def _clause_words(norm: str, start: int, limit: int = 5) -> list[str]:
    prefix = norm[max(0, start - 120) : start]
    boundaries = list(_CLAUSE_BOUNDARY.finditer(prefix))
    if boundaries:
        prefix = prefix[boundaries[-1].end() :]
    return _WORD.findall(prefix)[-limit:]


def _is_negated(norm: str, start: int) -> bool:
    words = _clause_words(norm, start)
    if any(w in _NEGATIONS for w in words):
        return True
    # "ne … plus" is a negation; "plus" alone ("de plus en plus urgent") is not.
    has_ne = any(w == "ne" or w.startswith("n'") for w in words)
    return has_ne and "plus" in words


def _next_word(norm: str, end: int) -> str:
    found = _WORD.findall(norm[end : end + 30])
    return found[0] if found else ""


def _inside_quotes(norm: str, start: int) -> bool:
    before = norm[:start]
    sentence_start = max(before.rfind("."), before.rfind("!"), before.rfind("?"))
    before = before[sentence_start + 1 :]
    if before.rfind("«") > before.rfind("»") or before.rfind("“") > before.rfind("”"):
        return True
    return before.count('"') % 2 == 1


def _capitalised_mid_sentence(text: str, offsets: list[int], start: int, end: int) -> bool:
    """ "le coffret Urgence Chocolat": a Capitalised word that does not start a sentence is a name."""
    word = original_span(text, offsets, start, end)
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
        return False
    before = text[: offsets[start]].rstrip()
    return bool(before) and before[-1] not in '.!?:;«"(\n'


def _judge_urgent_word(text: str, norm: str, offsets: list[int], match: re.Match[str]) -> tuple[float, str]:
    start, end = match.span()
    if _inside_quotes(norm, start):
        return 0.0, "entre guillemets (nom de produit)"
    if any(w in _PRODUCT_NOUNS for w in _clause_words(norm, start, limit=2)):
        return 0.0, "nom de produit"
    if _capitalised_mid_sentence(text, offsets, start, end):
        return 0.0, "nom propre (produit)"
    return STRONG, ""


def _judge_event_word(text: str, norm: str, offsets: list[int], match: re.Match[str]) -> tuple[float, str]:
    start = match.start()
    before = _clause_words(norm, start, limit=4)
    if before and before[-1] in _POSSESSIVES:
        return STRONG, ""
    if match.group(0).endswith("s") or any(w in _EVENT_PRODUCT_NOUNS for w in before[-3:]):
        return WEAK, ""
    return STRONG, ""


def _judge_avocat(text: str, norm: str, offsets: list[int], match: re.Match[str]) -> tuple[float, str]:
    start, end = match.span()
    before = norm[max(0, start - 6) : start]
    words = _clause_words(norm, start, limit=3)
    if before.endswith(("a l'", "aux ", "d'", "de l'")) or any(w in _FOOD_WORDS for w in words):
        return 0.0, "avocat (le fruit)"
    if _next_word(norm, end) in _FOOD_WORDS:
        return 0.0, "avocat (le fruit)"
    return STRONG, ""


# -------------------------------------------------------------------------------------------- the cues
_PERSON = (
    r"(quelqu'un|qqn|une? (vraie? |vrai |autre )?(personne|humain|etre humain|conseill\w*|vendeu\w*"
    r"|responsable|interlocut\w*|collaborat\w*|employe\w*|technicien\w*|menuisier|boulanger\w*|artisan|commercial\w*)"
    r"|((le|la|au|votre|un|une|l') ?)?(responsable|gerant\w*|patron\w*|directeu\w*|directrice|service client"
    r"|proprietaire|chef|commercial\w*|conseill\w*|boss|humain)|sophie|un membre)"
)

_CUES: tuple[_Cue, ...] = (
    # -- explicit request for a person
    _Cue("demande_humain", _re(rf"\b(parler|discuter|echanger) (a|avec|au|aux) {_PERSON}"), STRONG),
    _Cue(
        "demande_humain",
        _re(
            r"\b(vraie? personne|vrai humain|etre humain|interlocuteur humain|personne reelle"
            r"|quelqu'un de reel|(un|une|d'un|d'une) (vraie?|vrai) \w+)\b"
        ),
        STRONG,
    ),
    _Cue("demande_humain", _re(r"(\b(un|une|d'un|des) humains?\b|^\W*humain\b)"), STRONG),
    _Cue("demande_humain", _re(r"\b(rappelez|recontactez|appelez|telephonez|contactez) moi\b"), STRONG),
    _Cue(
        "demande_humain",
        _re(
            r"\b(me|m') ?(rappeler|recontacter|appeler|telephoner|contacter|rappelle"
            r"|recontacte|rappeliez|recontactiez)\b(?! (la|le|les|l'|mon|ma|mes|votre|vos"
            r"|son|sa|ses|ce|cette|comment|quand|ou|si|pourquoi|quel\w*|de |d'))"
        ),
        STRONG,
    ),
    _Cue("demande_humain", _re(r"\betre (rappele|recontacte|contacte)e?\b"), STRONG),
    _Cue(
        "demande_humain",
        _re(
            r"\b(mettez|mettre|passez|passer|transferez|transferer) moi\b"
            r"|\b(me|m') ?(passer|transferer|mettre en relation)\b|\ben (relation|contact) avec\b"
        ),
        STRONG,
    ),
    _Cue("demande_humain", _re(rf"\b(avoir|joindre|contacter|voir|appeler) {_PERSON}"), STRONG),
    _Cue(
        "demande_humain",
        _re(
            r"\bquelqu'un( de \w+| de chez vous| de l'equipe| de votre equipe)? (peut|pourrait)"
            r"( il| elle)? (me|m')"
        ),
        STRONG,
    ),
    _Cue("demande_humain", _re(r"\b(me )?repondre personnellement\b"), STRONG),
    _Cue(
        "demande_humain",
        _re(
            r"\bpas (parler |discuter |echanger )?(a |avec )?(un|une|le|la|votre|ce|cette) (robot"
            r"|bot|chatbot|machine|assistant automatique|ia|intelligence artificielle)\b"
            r"|\bplutot qu'(avec|a) (un|une|le|la|votre) (robot|bot|chatbot|machine|assistant)"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "demande_humain",
        _re(
            r"\b(robot|bot|chatbot|assistant|reponse)( automatique)? (ne comprend|comprend rien"
            r"|tourne en rond|ne sert a rien|est nul|inutile)"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "demande_humain",
        _re(
            r"\b(conseiller|conseillere|gerant|gerante|patron|patronne|responsable|service client"
            r"|robot|bot|chatbot|quelqu'un)\b"
        ),
        WEAK,
    ),
    # -- anger and distress
    _Cue(
        "colere_detresse",
        _re(
            r"\b(inadmissible|inacceptable|scandale\w*|scandaleu\w*|honteu\w*|honte|lamentable"
            r"|pitoyable|minable|intolerable|indigne|inoui|aberrant|revoltant|deplorable"
            r"|affligeant|ridicule|inexcusable|insupportable|inadmissibles)\b"
        ),
        STRONG,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\bn'importe quoi\b|\bs'en (fiche|fout|moque|balance)\b|\bvous (vous )?(moquez"
            r"|fichez|foutez)\b|\bse (moquer|ficher|foutre) de\b|\bprenez pour (un|une)\b"
            r"|\bfoutage\b|\bpayez (ma|notre) tete\b"
        ),
        STRONG,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(incompetent\w*|nuls|nulle|nulles|escroc\w*|escroquerie|arnaque\w*|voleur\w*"
            r"|connard\w*|con|cons|conne|abruti\w*|debile\w*|idiot\w*|imbecile\w*|guignol\w*"
            r"|amateurisme|bande d'\w+|bande de|putain|merde\w*|bordel|chier|foutre"
            r"|degueulasse|c'est du vol)\b|\bnul\b(?! (besoin|part))"
        ),
        STRONG,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(furieu\w*|en colere|enerve\w*|excede\w*|exaspere\w*|hors de moi|ras le bol"
            r"|marre|j'en ai assez|degoute\w*|ecoeure\w*|mecontent\w*|outre\w*|choque\w*"
            r"|indigne\w*|agace\w*|perdre patience|a bout|penible|desespere\w*|angoiss\w*"
            r"|panique\w*|paniquer|en larmes|pleure\w*|au secours|a l'aide|aidez moi"
            r"|detresse|cauchemar|drame|dramatique)\b"
        ),
        STRONG,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\bn'en peux plus\b|\bne sais plus (quoi|comment)\b|\bn'arrive pas a croire\b"
            r"|\b(on|je) ne peu[xt] (pas|plus) compter sur\b|\bmerci pour rien\b"
            r"|\bpersonne ne (me )?(repond|decroche|rappelle|prend)\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(pas|plus|jamais) (du tout |vraiment |tres |trop |tres )?(content|satisfait"
            r"|ravi|heureux|heureuse|normal|acceptable|serieux|serieuse|professionnel\w*"
            r"|correct\w*|honnete)e?s?\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(trouvez|trouves) (ca|cela|c'est) ?normal\b|\b(super|genial|bravo|chapeau|top)"
            r",? (le|la|les) (service|livraison|suivi|accueil|sav|professionnalisme|qualite)"
            r"|\bdu grand art\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(derniere fois que|plus jamais) (je|j'|nous)\b|\bje ne (commanderai|reviendrai"
            r"|recommanderai) plus\b|\bplus jamais\b|\b(une|1) etoile\b|\bavis negatif\b"
            r"|\bmauvais avis\b|\b(laisser|mettre|publier|poster) (un |des )?avis\b"
            r"|\bregrett\w* (d'avoir|de vous avoir|mon achat|ma commande|cet achat|amerement)"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\b(deuxieme|troisieme|quatrieme|cinquieme|enieme|nieme|2e|3e|4e|2eme|3eme|4eme)"
            r" (fois|relance|message|mail|e mail|appel|demande)\b"
            r"|\b(deux|trois|quatre|cinq|plusieurs|\d+) fois que (je|j')\b"
        ),
        STRONG,
    ),
    _Cue(
        "colere_detresse",
        _re(r"\btoujours (pas|rien|aucune?)\b|\b(aucune|pas de|sans) (reponse|nouvelles?)\b"),
        MEDIUM,
        negatable=False,
    ),
    _Cue(
        "colere_detresse",
        _re(
            r"\bquel (professionnalisme|service|serieux|sens du service)\b|\bbravo\b|\bdecidement"
            r"|\bencore rate\b|\bregrett\w*\b|\bdepuis (\d+|des|plusieurs|deux|trois|quatre|une)"
            r" (jours|semaines|mois|semaine)\b|\bje relance\b|\bperdre\b"
        ),
        WEAK,
    ),
    # -- complaint
    _Cue(
        "reclamation", _re(r"\b(reclamation|reclame|reclamer|litige|contest\w*|j'exige|exige\w*)\b"), STRONG
    ),
    _Cue(
        "reclamation",
        _re(
            r"\b(casse|cassee|cassees|casses|brise\w*|abime\w*|endommage\w*|defectueu\w*"
            r"|deteriore\w*|fendu\w*|se fend|fissure\w*|raye|rayee|rayees|rayes|rayure\w*"
            r"|dechire\w*|deteint|rouill\w*|moisi|moisie|rassis|rassise|perime\w*|immangeable"
            r"|inutilisable|decolle\w*|dessoude\w*|devisse\w*|a lache|en panne|crus|crue|cru"
            r"|brule|brulee|brules|brulees|gondole\w*|voile|voilee|tordu\w*|bancal\w*)\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\bne (fonctionne|marche|ferme|s'ouvre|tient|s'allume|chauffe|va|convient)\w* (pas|plus)\b"
            r"|\brien ne va\b|\b(pas|non) conforme\b|\bne correspond\w* (pas|plus|en rien)\b"
            r"|\bjamais (recu|recue|arrive|arrivee|livre|livree|venu|venue|eu)\b|\brien recu\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\bau lieu d[eu']|\bpas (le|la|les) (bon|bonne|bons|bonnes)\b|\bmauvaise?s? (article"
            r"|produit|taille|couleur|commande|porte|piece|modele|reference|adresse)\b"
            r"|\b(il manque|manquant\w*|incomplet\w*)\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\b(debite|preleve|facture|paye)e?s? (deux|trois|2|3) fois\b|\bdouble (prelevement"
            r"|debit|facturation|paiement)\b|\b(deux|trois|2|3) fois (la meme|le meme)\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\b(bacle\w*|malfacon\w*|mal (fait|faite|faits|pose\w*|monte\w*|fini\w*|fixe\w*"
            r"|emballe\w*|ajuste\w*|coupe\w*))\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\b(colis|commande|paquet|livraison|article)\b[^.!?]{0,40}\b(introuvable|perdue?|egaree?"
            r"|volee?)\b|\bdecu(e|s|es)?\b|\bdeception\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\brembourse(z)? moi\b|\b(veux|exige|exiger) (etre )?(rembourse|remboursee"
            r"|un remboursement|le remboursement)\b"
        ),
        STRONG,
    ),
    _Cue(
        "reclamation",
        _re(
            r"\b(en retard|retard|erreur|nulle part|un probleme|un souci|des soucis|des problemes"
            r"|remboursement)\b"
        ),
        WEAK,
    ),
    # -- urgency
    _Cue(
        "urgence",
        _re(r"\b(urgent|urgente|urgents|urgentes|urgemment|urgence|asap)\b"),
        STRONG,
        judge=_judge_urgent_word,
    ),
    _Cue(
        "urgence",
        _re(
            r"\b(au plus vite|au plus tot|des que possible|le plus (vite|rapidement|tot) possible"
            r"|sans (delai|tarder|faute)|immediatement|tout de suite|aujourd'hui meme|dans l'heure"
            r"|dans (une|1) ?(heure|h)\b|c'est presse|tres presse|pressee?s?|pressant|(faire|faites|fais)"
            r" vite|besoin d'une? (reponse|intervention|solution|livraison) (rapide|immediate|urgente)"
            r"|trop tard|sinon c'est fichu)\b"
        ),
        STRONG,
    ),
    _Cue(
        "urgence",
        _re(r"\bne (peux|peut|pouvons|pourrai|pourrons) pas attendre\b|\bchantier (est )?bloque\b"),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "urgence",
        _re(
            r"\b(vite|rapidement|ce soir|demain|absolument|il me (le |la |les )?(faut|les faut)"
            r"|bloque\w*)\b"
        ),
        WEAK,
    ),
    # -- legal threat
    _Cue(
        "menace_juridique", _re(r"\b(avocat|avocats|avocate)\b"), STRONG, negatable=False, judge=_judge_avocat
    ),
    _Cue(
        "menace_juridique",
        _re(
            r"\b(tribunal|tribunaux|justice|jugement|proces(?! verbal)|poursuite\w*|poursuivre"
            r"|plainte|mise en demeure|mettre en demeure|mets en demeure|met en demeure|huissier\w*"
            r"|dgccrf|signal ?conso|60 millions|soixante millions|que choisir|ufc|mediateur"
            r"|mediation|conciliateur|conciliation|protection juridique|juridique\w*|illegal\w*"
            r"|illicite|injonction|prud'?hom\w*|police|gendarmerie|fraude\w*|association de"
            r" consommateurs|code de la consommation|(le|un|au|du) juge)\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "menace_juridique",
        _re(r"\b(recours|droit de retractation|mes droits|vos obligations)\b"),
        WEAK,
        negatable=False,
    ),
    # -- health and safety
    _Cue(
        "sante_securite",
        _re(
            r"\b(allergi\w*|anaphyla\w*|intoxi\w*|empoisonn\w*|malade\w*|vomi\w*|diarrhee\w*"
            r"|nausee\w*|urticaire|urgences|hopital|hospitalis\w*|medecin|samu|pompiers"
            r"|blesse\w*|blessure\w*|brulure\w*|coupure\w*|saign\w*|electrocut\w*|choc electrique"
            r"|incendie|pris feu|prend feu|prendre feu|flammes?|fumee|odeur de gaz|fuite de gaz"
            r"|toxique\w*|danger\w*|corps etranger|(morceau|bout|eclat)s? de (verre|metal"
            r"|plastique|bois)|echarde\w*|moisissure\w*|tombee?s?|chute|effondre\w*|effondrement"
            r"|maux de tete|mal a la tete|du mal a respirer|respire mal|failli|accident\w*"
            r"|me suis coupee?|s'est coupee?|se sont coupes)\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue(
        "sante_securite",
        _re(
            r"\b(enceinte|bebe|nourrisson|plaques|respir\w*|risque\w*|securite|sent bizarre"
            r"|odeur)\b"
        ),
        WEAK,
        negatable=False,
    ),
    # -- personal events
    _Cue(
        "evenement_personnel",
        _re(
            r"\b(anniversaires?|anniv|mariages?|baptemes?|communions?|naissances?"
            r"|fiancailles)\b"
        ),
        STRONG,
        negatable=False,
        judge=_judge_event_word,
    ),
    _Cue(
        "evenement_personnel",
        _re(
            r"\b(deces|decede\w*|mort|morte|enterrement|obseques|funerailles|deuil"
            r"|condoleances|fin de vie|hospitalise\w*|divorce|licencie\w*|chomage"
            r"|perdu mon (emploi|travail|mari|pere|fils)|perdu ma (mere|fille|femme)"
            r"|(fete|feter|fetera|pour) (ses|les|mes|nos|leurs) \d+ ans"
            r"|(vient|venons|viens|viennent) d'avoir un bebe)\b"
        ),
        STRONG,
        negatable=False,
    ),
    _Cue("evenement_personnel", _re(r"\b(fete|ceremonie|reception)\b"), WEAK, negatable=False),
    # -- serious problem
    _Cue(
        "probleme_grave",
        _re(
            r"\b(probleme|souci|soucis|incident|situation)s? (grave|graves|serieux|majeur|majeurs"
            r"|important|critique|enorme)\b|\b(grave|gros|serieux|vrai|enorme|sacre|grand)s? (probleme"
            r"|souci|soucis|incident)s?\b|\bc'est (tres |vraiment |assez )?grave\b|\btres grave\b"
            r"|\bcritique\b|\bdegats?\b|\bdegat des eaux\b|\binond\w*\b|\bfuite\w*\b"
            r"|\bl'eau coule\b|\bcatastroph\w*\b"
        ),
        STRONG,
    ),
)

_SHOUTING_MIN_LETTERS = 12
_SHOUTING_RATIO = 0.7
_INSISTENT_PUNCTUATION = re.compile(r"!{2,}|\?!|!\?")


def find_signals(text: str) -> list[Signal]:
    """Every cue of the message, the cancelled ones included (with `kept=False` and why)."""
    norm, offsets = normalize_with_offsets(text)
    signals: list[Signal] = []
    for cue in _CUES:
        for match in cue.pattern.finditer(norm):
            start, end = match.span()
            excerpt = original_span(text, offsets, start, end).strip()
            weight, why = cue.judge(text, norm, offsets, match) if cue.judge else (cue.weight, "")
            if weight > 0 and cue.negatable and _is_negated(norm, start):
                weight, why = 0.0, "nié"
            signals.append(Signal(cue.category, weight or cue.weight, excerpt, start, end, weight > 0, why))
    signals.extend(_form_signals(text))
    return _drop_overlaps(signals)


def _form_signals(text: str) -> list[Signal]:
    """Shouting in capitals and insistent punctuation: anger cues that no word list sees."""
    found: list[Signal] = []
    letters = [c for c in text if c.isalpha()]
    if (
        len(letters) >= _SHOUTING_MIN_LETTERS
        and sum(c.isupper() for c in letters) / len(letters) >= _SHOUTING_RATIO
    ):
        found.append(Signal("colere_detresse", 0.55, "message écrit en majuscules", 0, 0))
    if match := _INSISTENT_PUNCTUATION.search(text):
        found.append(Signal("colere_detresse", WEAK, match.group(0), match.start(), match.end()))
    return found


def _drop_overlaps(signals: list[Signal]) -> list[Signal]:
    """A weak cue inside the span of a stronger kept cue of the same category adds nothing: drop it, so
    that "un conseiller" in "parler à un conseiller" is not counted twice."""
    kept = [s for s in signals if s.kept and s.weight >= MEDIUM]
    return [
        s
        for s in signals
        if not (
            s.weight < MEDIUM
            and s.end > s.start
            and any(
                k is not s and k.category == s.category and k.start <= s.start and s.end <= k.end
                for k in kept
            )
        )
    ]


def rule_score(signals: list[Signal]) -> float:
    """1 − Π(1 − weight) over the kept cues: two weak cues make a sensitive message, one does not."""
    remaining = 1.0
    for signal in signals:
        if signal.kept:
            remaining *= 1.0 - signal.weight
    return 1.0 - remaining
