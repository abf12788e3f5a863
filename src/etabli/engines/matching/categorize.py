"""Categories (mapped to PCG accounts) for bank lines that are not invoice payments.

Three sources, most trusted first:

1. Rules: « libellé contient … → catégorie ». The owner's own rules first, then rules learned from the
   company's history (:func:`learn_rules`: a word that always went to one category, at least twice),
   then a default French rule set that works on day one (URSSAF, EDF, loyer, frais bancaires, …).
2. A classifier trained on the company's own categorised lines (TF-IDF of character 2–5-grams of the
   label, which survive truncation and typos, plus the direction of the amount, into a logistic
   regression). It says nothing until it has enough history (``min_examples``): small companies start
   with the rules.
3. When the classifier and a default rule agree, the confidence rises; when they disagree, the classifier
   wins only if it is confident, since it learned this company's habits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from etabli.common.formats import format_percent
from etabli.engines.matching.model import CategoryPrediction, MatchingError
from etabli.engines.matching.text import NOISE_TOKENS, is_number_like, normalise

Source = Literal["règle", "règle apprise", "règle par défaut", "modèle"]
from etabli.engines.statements.model import StatementLine

Direction = Literal["debit", "credit", "any"]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    pcg_account: str


CATEGORIES: dict[str, Category] = {
    category.code: category
    for category in (
        Category("energie", "Énergie (électricité, gaz, eau)", "606"),
        Category("carburant", "Carburant", "6061"),
        Category("fournitures", "Fournitures et petit équipement", "6063"),
        Category("credit_bail", "Crédit-bail et location longue durée", "612"),
        Category("loyer", "Loyer et charges locatives", "613"),
        Category("assurance", "Assurances", "616"),
        Category("honoraires", "Honoraires (expert-comptable, avocat, notaire…)", "6226"),
        Category("publicite", "Publicité et annonces", "6231"),
        Category("deplacements", "Déplacements, missions, péages", "625"),
        Category("receptions", "Repas et réceptions", "6257"),
        Category("affranchissement", "Affranchissements et transport de plis", "6261"),
        Category("telecom", "Téléphone et internet", "626"),
        Category("frais_bancaires", "Frais bancaires", "627"),
        Category("impots_taxes", "Impôts et taxes (CFE, taxe foncière…)", "635"),
        Category("salaires_bruts", "Salaires (sans écriture de paie)", "641"),
        Category("logiciels", "Abonnements logiciels et licences", "651"),
        Category("interets", "Intérêts et agios", "661"),
        Category("emprunt", "Emprunt (capital remboursé ou débloqué)", "164"),
        Category("salaires", "Salaires nets versés (rémunérations dues)", "421"),
        Category("charges_sociales", "Cotisations sociales (URSSAF, MSA)", "431"),
        Category("retraite_prevoyance", "Retraite, prévoyance, mutuelle", "437"),
        Category("impot_societes", "Impôt sur les sociétés", "444"),
        Category("tva", "TVA à payer", "44551"),
        Category("associes", "Compte courant d'associé", "455"),
        Category("virement_interne", "Virement entre comptes de l'entreprise", "580"),
    )
}


@dataclass(frozen=True)
class CategoryRule:
    """« libellé contient <pattern> → <category> », optionally only for debits or credits."""

    pattern: str
    category: str
    direction: Direction = "any"
    source: Literal["règle", "règle apprise", "règle par défaut"] = "règle"
    support: int = 0

    @property
    def normalised(self) -> str:
        return normalise(self.pattern)

    def matches(self, padded_label: str, amount: Decimal) -> bool:
        """``padded_label`` is the normalised label with a space on each side (word boundaries)."""
        if self.direction == "debit" and amount > 0 or self.direction == "credit" and amount < 0:
            return False
        return f" {self.normalised} " in padded_label


def _rules(category: str, direction: Direction, *patterns: str) -> list[CategoryRule]:
    return [CategoryRule(pattern, category, direction, "règle par défaut") for pattern in patterns]


#: Works on day one for a French TPE; each can be overridden by the owner's rules or learned ones.
DEFAULT_RULES: tuple[CategoryRule, ...] = tuple(
    _rules(
        "energie",
        "debit",
        "EDF",
        "ENGIE",
        "ENERCOOP",
        "TOTALENERGIES ELEC",
        "ELECTRICITE",
        "GAZ DE BORDEAUX",
        "VEOLIA",
        "SUEZ EAU",
        "SAUR",
        "EAU DE PARIS",
        "EKWATEUR",
        "ENI GAZ",
    )
    + _rules(
        "carburant",
        "debit",
        "CARBURANT",
        "TOTAL ACCESS",
        "TOTALENERGIES STATION",
        "ESSO",
        "SHELL",
        "STATION SERVICE",
        "AVIA",
        "DKV",
        "AS24",
    )
    + _rules(
        "fournitures",
        "debit",
        "LEROY MERLIN",
        "CASTORAMA",
        "BRICOMAN",
        "BRICO DEPOT",
        "BUREAU VALLEE",
        "LYRECO",
        "OFFICE DEPOT",
        "MANUTAN",
        "WURTH",
        "POINT P",
        "CEDEO",
    )
    + _rules(
        "credit_bail",
        "debit",
        "CREDIT BAIL",
        "LEASING",
        "LOCATION LONGUE DUREE",
        "LLD",
        "DIAC",
        "ARVAL",
        "LEASYS",
        "GRENKE",
    )
    + _rules(
        "loyer",
        "debit",
        "LOYER",
        "LOYERS",
        "CHARGES LOCATIVES",
        "FONCIA",
        "NEXITY",
        "CITYA",
        "BAIL COMMERCIAL",
    )
    + _rules(
        "assurance",
        "debit",
        "ASSURANCE",
        "ASSURANCES",
        "AXA",
        "MAAF",
        "MMA",
        "ALLIANZ",
        "GROUPAMA",
        "MACIF",
        "GENERALI",
        "HISCOX",
        "SMABTP",
        "MAIF",
        "ABEILLE",
        "AVIVA",
        "SWISSLIFE",
        "HELVETIA",
    )
    + _rules(
        "honoraires",
        "debit",
        "HONORAIRES",
        "EXPERT COMPTABLE",
        "EXPERTISE COMPTABLE",
        "AVOCAT",
        "AVOCATS",
        "NOTAIRE",
        "NOTAIRES",
        "HUISSIER",
        "COMMISSAIRE AUX COMPTES",
    )
    + _rules(
        "publicite",
        "debit",
        "GOOGLE ADS",
        "FACEBK",
        "FACEBOOK",
        "META ADS",
        "PAGESJAUNES",
        "PAGES JAUNES",
        "SOLOCAL",
        "PUBLICITE",
        "LINKEDIN ADS",
    )
    + _rules(
        "deplacements",
        "debit",
        "SNCF",
        "OUIGO",
        "AIR FRANCE",
        "PEAGE",
        "AUTOROUTE",
        "AUTOROUTES",
        "VINCI AUTOROUTES",
        "SANEF",
        "APRR",
        "HOTEL",
        "IBIS",
        "UBER",
        "TAXI",
        "PARKING",
        "INDIGO",
        "RATP",
        "BLABLACAR",
    )
    + _rules("receptions", "debit", "RESTAURANT", "BRASSERIE", "TRAITEUR")
    + _rules("affranchissement", "debit", "LA POSTE", "COLISSIMO", "CHRONOPOST", "AFFRANCHISSEMENT")
    + _rules(
        "telecom",
        "debit",
        "ORANGE",
        "SOSH",
        "SFR",
        "BOUYGUES TELECOM",
        "BOUYGUES TEL",
        "FREE MOBILE",
        "FREE TELECOM",
        "FREE PRO",
        "OVH",
        "OVHCLOUD",
        "NORDNET",
    )
    + _rules(
        "frais_bancaires",
        "debit",
        "FRAIS",
        "COMMISSION",
        "COMMISSIONS",
        "COTISATION CARTE",
        "COTIS CARTE",
        "TENUE DE COMPTE",
        "FRAIS TENUE",
        "ABONNEMENT BANCAIRE",
        "COM INTERVENTION",
        "FACTURATION PROGELIANCE",
        "OFFRE PRO",
        "PACK PRO",
    )
    + _rules(
        "impots_taxes",
        "debit",
        "CFE",
        "CVAE",
        "TAXE FONCIERE",
        "TAXE APPRENTISSAGE",
        "TRESOR PUBLIC",
        "DGFIP",
        "IMPOTS",
        "SIE",
    )
    + _rules(
        "logiciels",
        "debit",
        "MICROSOFT",
        "GOOGLE WORKSPACE",
        "GSUITE",
        "ADOBE",
        "DROPBOX",
        "SAGE",
        "PENNYLANE",
        "QUICKBOOKS",
        "NOTION",
        "SLACK",
        "ZOOM",
    )
    + _rules("interets", "debit", "INTERETS", "INTERETS DEBITEURS", "AGIOS", "INT DEBITEURS")
    + _rules(
        "emprunt",
        "any",
        "ECHEANCE PRET",
        "ECH PRET",
        "REMBOURSEMENT PRET",
        "REMB PRET",
        "EMPRUNT",
        "ECHEANCE CREDIT",
        "ECH CREDIT",
        "DEBLOCAGE PRET",
        "PRET PRO",
        "PRET N",
    )
    + _rules(
        "salaires", "debit", "SALAIRE", "SALAIRES", "PAIE", "REMUNERATION", "ACOMPTE SALAIRE", "VIR SALAIRE"
    )
    + _rules("charges_sociales", "debit", "URSSAF", "MSA", "DSN", "POLE EMPLOI", "FRANCE TRAVAIL")
    + _rules(
        "retraite_prevoyance",
        "debit",
        "AG2R",
        "MALAKOFF",
        "HUMANIS",
        "KLESIA",
        "PRO BTP",
        "APICIL",
        "HARMONIE MUTUELLE",
        "MUTUELLE",
        "PREVOYANCE",
        "RETRAITE",
        "CIPAV",
        "IRCEC",
        "CARSAT",
        "CNBF",
    )
    + _rules(
        "impot_societes",
        "debit",
        "IMPOT SOCIETES",
        "IMPOT SUR LES SOCIETES",
        "ACOMPTE IS",
        "DGFIP IS",
        "SOLDE IS",
    )
    + _rules("tva", "debit", "TVA", "DGFIP TVA", "IMPOT TVA", "CA3", "CA12")
    + _rules("associes", "any", "COMPTE COURANT ASSOCIE", "APPORT ASSOCIE", "CCA")
    + _rules(
        "virement_interne",
        "any",
        "VIR INTERNE",
        "VIREMENT INTERNE",
        "VIR CPTE A CPTE",
        "VIREMENT DE COMPTE A COMPTE",
        "VERS COMPTE COURANT",
        "VERS LIVRET",
        "DEPUIS LIVRET",
    )
)


def _sorted_rules(rules: Iterable[CategoryRule]) -> list[CategoryRule]:
    """Most specific first: « DGFIP TVA » must win over « DGFIP »."""
    return sorted(rules, key=lambda rule: (-len(rule.normalised.split()), -len(rule.normalised)))


def _direction(amount: Decimal) -> Direction:
    return "credit" if amount > 0 else "debit"


def learn_rules(
    history: Iterable[tuple[str, Decimal, str]], *, min_support: int = 2, max_per_category: int = 10
) -> list[CategoryRule]:
    """Rules « libellé contient MOT → catégorie » from past categorised lines (label, amount, category).

    A word (3+ letters, not banking noise, not a number) becomes a rule when every past line containing it
    had the same category and direction, at least ``min_support`` times. The app can show these to the
    owner as proposed rules.
    """
    counts: dict[str, Counter[tuple[str, Direction]]] = defaultdict(Counter)
    for label, amount, category in history:
        words = {
            word
            for word in normalise(label).split()
            if len(word) >= 3 and word not in NOISE_TOKENS and not is_number_like(word)
        }
        for word in words:
            counts[word][(category, _direction(Decimal(amount)))] += 1
    learned: dict[str, list[CategoryRule]] = defaultdict(list)
    for word, per_category in counts.items():
        if len(per_category) != 1:
            continue
        (category, direction), support = next(iter(per_category.items()))
        if support >= min_support:
            learned[category].append(CategoryRule(word, category, direction, "règle apprise", support))
    rules = []
    for category_rules in learned.values():
        rules.extend(sorted(category_rules, key=lambda rule: -rule.support)[:max_per_category])
    return rules


class CategoryClassifier:
    """TF-IDF character 2–5-grams of the label + amount direction → logistic regression."""

    def __init__(self, *, min_examples: int = 20, min_classes: int = 2, c: float = 10.0) -> None:
        self.min_examples = min_examples
        self.min_classes = min_classes
        self.c = c
        self.vectorizer: TfidfVectorizer | None = None
        self.model: LogisticRegression | None = None
        self.n_examples = 0
        #: (category, direction) pairs seen in training: a category never seen for credits is not
        #: proposed for a credit (the model would be guessing outside what it learned).
        self.seen: set[tuple[str, Direction]] = set()

    @property
    def is_fitted(self) -> bool:
        return self.model is not None

    def _features(self, labels: Sequence[str], amounts: Sequence[Decimal]) -> sparse.csr_matrix:
        assert self.vectorizer is not None
        text = self.vectorizer.transform([normalise(label) for label in labels])
        direction = np.array([[1.0 if Decimal(amount) > 0 else -1.0] for amount in amounts])
        return sparse.hstack([text, sparse.csr_matrix(direction)], format="csr")

    def fit(
        self, labels: Sequence[str], amounts: Sequence[Decimal], categories: Sequence[str]
    ) -> CategoryClassifier:
        """Train on the company's categorised lines; with too little history it stays unfitted (no guess)."""
        if not len(labels) == len(amounts) == len(categories):
            raise MatchingError(
                "Historique de catégories incohérent : libellés, montants et catégories diffèrent en nombre."
            )
        self.n_examples = len(labels)
        self.vectorizer, self.model = None, None
        self.seen = {
            (category, _direction(Decimal(amount)))
            for category, amount in zip(categories, amounts, strict=True)
        }
        if len(labels) < self.min_examples or len(set(categories)) < self.min_classes:
            return self
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.vectorizer.fit([normalise(label) for label in labels])
        model = LogisticRegression(C=self.c, max_iter=2000)
        model.fit(self._features(labels, amounts), list(categories))
        self.model = model
        return self

    def predict(self, labels: Sequence[str], amounts: Sequence[Decimal]) -> list[tuple[str, float]]:
        """(category, probability) per label; raises if not fitted."""
        if self.model is None:
            raise MatchingError("Le classifieur de catégories n'est pas entraîné (pas assez d'historique).")
        if not labels:
            return []
        probabilities = self.model.predict_proba(self._features(labels, amounts))
        classes = [str(code) for code in self.model.classes_]
        for row, amount in enumerate(amounts):
            direction = _direction(Decimal(amount))
            for column, code in enumerate(classes):
                if (code, direction) not in self.seen:
                    probabilities[row, column] = 0.0
        best = probabilities.argmax(axis=1)
        return [(classes[i], float(probabilities[row, i])) for row, i in enumerate(best)]


class Categorizer:
    """Rules + classifier → a :class:`CategoryPrediction` (or None) per line."""

    def __init__(
        self,
        rules: Iterable[CategoryRule] = (),
        *,
        use_default_rules: bool = True,
        classifier: CategoryClassifier | None = None,
        categories: dict[str, Category] | None = None,
        min_model_confidence: float = 0.6,
    ) -> None:
        self.categories = dict(categories or CATEGORIES)
        self.rules = _sorted_rules(rule for rule in rules if rule.source != "règle apprise")
        self.learned_rules = _sorted_rules(rule for rule in rules if rule.source == "règle apprise")
        self.default_rules = _sorted_rules(DEFAULT_RULES) if use_default_rules else []
        self.classifier = classifier
        self.min_model_confidence = min_model_confidence
        for rule in (*self.rules, *self.learned_rules, *self.default_rules):
            if rule.category not in self.categories:
                raise MatchingError(f"Règle « {rule.pattern} » : catégorie « {rule.category} » inconnue.")

    @classmethod
    def fit(
        cls,
        history: Sequence[tuple[str, Decimal, str]],
        *,
        owner_rules: Iterable[CategoryRule] = (),
        min_examples: int = 20,
    ) -> Categorizer:
        """Learn rules and the classifier from the company's categorised lines (label, amount, category)."""
        unknown = sorted({category for _, _, category in history} - set(CATEGORIES))
        if unknown:
            raise MatchingError(f"Catégorie(s) inconnue(s) dans l'historique : {', '.join(unknown)}.")
        classifier = CategoryClassifier(min_examples=min_examples).fit(
            [label for label, _, _ in history],
            [amount for _, amount, _ in history],
            [c for _, _, c in history],
        )
        return cls([*owner_rules, *learn_rules(history)], classifier=classifier)

    def _first_rule(self, rules: list[CategoryRule], padded: str, amount: Decimal) -> CategoryRule | None:
        return next((rule for rule in rules if rule.matches(padded, amount)), None)

    def _prediction(self, code: str, confidence: float, source: Source, reason: str) -> CategoryPrediction:
        category = self.categories[code]
        return CategoryPrediction(
            code=code,
            label=category.label,
            pcg_account=category.pcg_account,
            confidence=round(confidence, 4),
            source=source,
            reason=reason,
        )

    def predict(self, lines: Sequence[StatementLine]) -> list[CategoryPrediction | None]:
        texts = [
            " ".join(part for part in (line.label, line.counterparty_name, *line.extra_info) if part)
            for line in lines
        ]
        model_output: list[tuple[str, float] | None] = [None] * len(lines)
        if self.classifier is not None and self.classifier.is_fitted and lines:
            model_output = list(self.classifier.predict(texts, [line.amount for line in lines]))
        return [
            self._predict_one(text, line.amount, model_output[index])
            for index, (text, line) in enumerate(zip(texts, lines, strict=True))
        ]

    def _predict_one(
        self, text: str, amount: Decimal, model: tuple[str, float] | None
    ) -> CategoryPrediction | None:
        padded = f" {normalise(text)} "
        rule = self._first_rule(self.rules, padded, amount)
        if rule is not None:
            return self._prediction(
                rule.category, 0.97, "règle", f"votre règle « libellé contient {rule.pattern} »"
            )
        rule = self._first_rule(self.learned_rules, padded, amount)
        if rule is not None:
            confidence = min(0.97, max(0.8, rule.support / (rule.support + 1)))
            return self._prediction(
                rule.category,
                confidence,
                "règle apprise",
                f"libellé contient « {rule.pattern} », classé ainsi {rule.support} fois",
            )
        default = self._first_rule(self.default_rules, padded, amount)
        n = self.classifier.n_examples if self.classifier else 0
        if model is not None:
            code, probability = model
            model_reason = (
                f"modèle appris sur vos {n} lignes classées (probabilité {format_percent(probability)})"
            )
            if default is not None and default.category == code:
                return self._prediction(
                    code,
                    max(probability, 0.85),
                    "modèle",
                    f"{model_reason}, et libellé contient « {default.pattern} »",
                )
            if probability >= self.min_model_confidence:
                return self._prediction(code, probability, "modèle", model_reason)
        if default is not None:
            return self._prediction(
                default.category, 0.8, "règle par défaut", f"libellé contient « {default.pattern} »"
            )
        if model is not None and model[1] >= 0.4:
            code, probability = model
            return self._prediction(
                code,
                probability,
                "modèle",
                f"modèle appris sur vos {n} lignes classées (probabilité {format_percent(probability)}, peu sûr)",
            )
        return None
