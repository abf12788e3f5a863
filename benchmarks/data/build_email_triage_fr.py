"""Builds benchmarks/data/email_triage_fr.jsonl — Établi's own French e-mail triage set.

How it was built: 120 scenario families written by hand for this project (30 per label: urgent,
a_traiter, information, publicite), each a realistic e-mail that a French TPE (joinery, plumber, shop,
restaurant, design office) receives — clients, suppliers, accountant, bank, URSSAF, colleagues,
newsletters and cold pitches. Each family is rendered twice: the two variants differ by sender, names,
companies, amounts, dates and by alternative wordings written in the family (``{variant A|variant B}``).
Hard cases are deliberate: negated urgency ("ce n'est pas urgent"), newsletters with alarming subjects,
an "urgent" that is only mentioned in passing, invoices to pay vs. invoices already debited, complaints
without the word "urgent", cold pitches that ask questions, automatic senders that need an action.

Split: by family (never two variants of one family in different halves), alternating within each label
so that both halves are balanced: 60 families → 120 e-mails for ``dev`` (rules tuned on these only) and
60 families → 120 e-mails for ``test`` (reported). No e-mail was copied from an existing data set.

Labels follow ``etabli.engines.writing.mail.triage.LABEL_DEFINITIONS``. Run:
    .venv/bin/python benchmarks/data/build_email_triage_fr.py
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("email_triage_fr.jsonl")

FIRST = [
    "Paul",
    "Claire",
    "Julien",
    "Sophie",
    "Nicolas",
    "Isabelle",
    "Thomas",
    "Nathalie",
    "Karim",
    "Émilie",
    "Antoine",
    "Céline",
    "Mathieu",
    "Sandrine",
    "Yannick",
    "Aurélie",
    "Romain",
    "Fatima",
    "Laurent",
    "Chloé",
    "Hugo",
    "Valérie",
    "Olivier",
    "Léa",
    "Bruno",
    "Camille",
    "Sébastien",
    "Inès",
    "Pascal",
    "Manon",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
]
CITIES = [
    "Lyon",
    "Nantes",
    "Rennes",
    "Lille",
    "Bordeaux",
    "Tours",
    "Dijon",
    "Angers",
    "Annecy",
    "Metz",
    "Brest",
    "Nîmes",
    "Poitiers",
    "Limoges",
    "Valence",
    "Chambéry",
]
COMPANIES = [
    "Bois & Fils",
    "Atelier Verdier",
    "SARL Monnier",
    "Distribution Leclerc Pro",
    "Menuiseries du Centre",
    "Quincaillerie Pasquier",
    "Matériaux Rivière",
    "Groupe Aubert",
    "Ets Charpentier",
    "Comptoir Lemaire",
    "Transports Giraud",
    "Agence Horizon",
    "Cabinet Fontaine",
    "Brico Pro Sud",
    "Sanitaires Guérin",
]
PRODUCTS = [
    "escalier en chêne",
    "porte d'entrée",
    "dressing sur mesure",
    "cuisine équipée",
    "parquet massif",
    "fenêtres double vitrage",
    "terrasse en pin",
    "bibliothèque murale",
    "verrière d'atelier",
    "placard coulissant",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

UNSUB = {"List-Unsubscribe": "<mailto:unsubscribe@{shopd}>, <https://{shopd}/desabonnement>"}

# Each family: label, from (sender template), subject, body, optional headers. ``{a|b}`` picks per variant.
FAMILIES: list[dict[str, object]] = [
    # ------------------------------------------------------------------ urgent
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Fuite d'eau sous l'évier|Grosse fuite salle de bain}",
        "body": "Bonjour,\n\n{J'ai une fuite sous l'évier depuis ce matin, l'eau coule dans le placard|L'eau fuit au pied de la douche et commence à passer chez le voisin du dessous}. J'ai coupé l'arrivée d'eau mais je ne peux pas rester comme ça.\nPouvez-vous passer aujourd'hui ? Je suis joignable au 06 {tel}.\n\nMerci,\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "{Plus de chauffage|Chaudière en panne}",
        "body": "Bonjour,\nNotre chaudière est en panne depuis hier soir, plus de chauffage ni d'eau chaude. {Nous avons un bébé de 3 mois à la maison.|Ma mère de 85 ans vit avec nous.}\nPourriez-vous intervenir au plus vite ? Adresse : {num} rue des Lilas, {v}.\nCordialement,\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "Maître {n} <contact@{nl}-avocats.fr>",
        "subject": "Mise en demeure – facture n° {ref}",
        "body": "Madame, Monsieur,\n\nAgissant pour le compte de la société {co}, nous vous mettons en demeure de régler la somme de {m} € TTC correspondant à la facture n° {ref} échue depuis le {d-50}.\n{À défaut de règlement sous huit jours|Sans règlement de votre part sous huitaine}, nous saisirons le tribunal de commerce de {v} d'une requête en injonction de payer.\n\nVeuillez agréer, Madame, Monsieur, nos salutations distinguées.\nMaître {p} {n}",
    },
    {
        "label": "urgent",
        "from": "Service comptabilité {co} <compta@{cod}.fr>",
        "subject": "{Dernière relance avant contentieux|RELANCE FINALE} – facture {ref}",
        "body": "Bonjour,\n\nMalgré nos précédentes relances, la facture {ref} d'un montant de {m} € reste impayée à ce jour (échéance du {d-40}).\nSans règlement d'ici le {d+3}, le dossier sera transmis à notre service de recouvrement et des pénalités de retard ainsi que l'indemnité forfaitaire de 40 € seront appliquées.\n\nService comptabilité\n{co}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Commande jamais reçue|Où est ma commande ???}",
        "body": "Bonjour,\n\nJ'ai passé commande le {d-21} (commande n° {ref}) et je n'ai toujours rien reçu. {Trois mails sans réponse, c'est inadmissible.|Personne ne répond au téléphone, je commence à perdre patience.}\nJe demande le remboursement immédiat si le colis n'est pas livré cette semaine.\n\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "Meuble livré abîmé",
        "body": "Bonjour,\nLe {prod} a été livré hier et {le plateau est fendu sur toute la longueur|deux portes sont rayées et une charnière est cassée}. Pour le prix payé ({m} €), c'est inacceptable.\nJe veux une solution rapide : remplacement ou remboursement. J'attends votre appel.\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}@{dom}>",
        "subject": "{Appel d'offres mairie – signature ce soir|AO collège : dossier à signer avant 18h}",
        "body": "Salut,\n\nLe dépôt de l'appel d'offres ferme aujourd'hui à 18h. Il me manque ta signature sur le DC1 et l'acte d'engagement.\nTu peux signer et me renvoyer le scan avant 16h ? Sinon on perd le marché.\n\n{p}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – Cabinet {n2} <{pl}.{nl}@cabinet-{n2l}.fr>",
        "subject": "TVA – relevé manquant",
        "body": "Bonjour,\n\nLa déclaration de TVA doit être déposée demain au plus tard. Il me manque toujours le relevé bancaire {d-25:month} du compte pro.\nMerci de me l'envoyer aujourd'hui pour éviter la majoration de 10 %.\n\nBien cordialement,\n{p} {n}\nCabinet {n2}",
    },
    {
        "label": "urgent",
        "from": "Support {co} <support@{cod}.fr>",
        "subject": "{Votre site est inaccessible|Alerte : site piraté}",
        "body": "Bonjour,\n\n{Depuis 7h ce matin, votre site renvoie une erreur 500 et les commandes en ligne sont bloquées.|Notre surveillance a détecté un piratage de votre site : des pages frauduleuses ont été ajoutées.}\nNous devons intervenir immédiatement : merci de nous confirmer par retour que nous pouvons restaurer la sauvegarde d'hier.\n\nL'équipe support\n{co}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – Banque <{pl}.{nl}@banque-{vl}.fr>",
        "subject": "Compte professionnel débiteur",
        "body": "Bonjour,\n\nVotre compte professionnel présente un solde débiteur de {m} € au-delà de l'autorisation de découvert.\nMerci de régulariser la situation sous 48 h ; à défaut, les prochains prélèvements seront rejetés.\n\nJe reste joignable au 04 {tel}.\n{p} {n}, votre conseillère",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}@{dom}>",
        "subject": "{Accident sur le chantier|Kevin blessé sur le chantier}",
        "body": "{p2},\n\nKevin s'est coupé profondément à la main avec la scie circulaire il y a 20 minutes. Les pompiers l'emmènent aux urgences de {v}.\nIl faut faire la déclaration d'accident du travail dans les 48 h. Appelle-moi dès que tu lis ça.\n\n{p}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Livraison du {d+1} – confirmation impérative",
        "body": "Bonjour,\n\nSans confirmation de votre part d'ici demain 10h que la cuisine sera bien livrée {wd+1}, j'annule la commande et je m'adresse à un autre fournisseur.\n{J'ai déjà posé deux jours de congé pour cela.|Les plombiers sont réservés pour le lendemain.}\n\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "URSSAF <ne-pas-repondre@urssaf.fr>",
        "subject": "Mise en demeure – cotisations {d-60:month}",
        "body": "Madame, Monsieur,\n\nSauf erreur de notre part, les cotisations sociales de la période {d-60:month} d'un montant de {m} € n'ont pas été réglées.\nLa présente vaut mise en demeure : vous disposez d'un délai d'un mois pour régulariser, faute de quoi une contrainte pourra être délivrée.\n\nVotre URSSAF",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – {co} <{pl}@{cod}.fr>",
        "subject": "{Livraison annulée demain|Problème transport – livraison de demain}",
        "body": "Bonjour,\n\nNotre transporteur vient de nous prévenir : la livraison des panneaux prévue demain matin sur votre chantier de {v} est annulée (camion en panne).\nPouvez-vous nous dire au plus vite si un enlèvement à notre dépôt à 14h vous conviendrait ?\n\n{p} {n}\n{co}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "{URGENT porte d'entrée bloquée|Impossible de fermer la porte}",
        "body": "Bonjour\nla porte d'entree que vous avez posée le mois dernier ne ferme plus, la serrure est bloquée. je ne peux pas partir travailler en laissant la maison ouverte\nvous pouvez envoyer quelqu'un ce matin ?\n{p} {n} {v}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@assurances-{vl}.fr>",
        "subject": "Sinistre atelier – déclaration",
        "body": "Bonjour,\n\nSuite à votre appel concernant le dégât des eaux dans l'atelier, je vous rappelle que la déclaration de sinistre doit nous parvenir sous 5 jours ouvrés, avec photos et factures.\nL'expert peut passer {wd+2} : merci de confirmer dès que possible.\n\n{p} {n}\nCabinet d'assurances",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – Salle des fêtes <{pl}.{nl}@mairie-{vl}.fr>",
        "subject": "Salle indisponible demain",
        "body": "Bonjour,\n\nSuite à un dégât des eaux, la salle polyvalente ne pourra pas accueillir votre {journée portes ouvertes|démonstration} de demain.\nNous pouvons vous proposer la salle annexe, mais il faut nous répondre aujourd'hui avant 17h.\n\n{p} {n}, service des salles",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Toujours aucune réponse|3e message sans réponse}",
        "body": "Bonjour,\n\nC'est la troisième fois que je vous écris au sujet de la facture {ref} qui comporte une erreur (le {prod} est facturé deux fois).\nJe n'ai toujours pas de réponse. Si je n'ai pas de nouvelles cette semaine, je bloque le paiement et je vais laisser un avis négatif.\n\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "DGFiP – SIE de {v} <sie.{vl}@dgfip.finances.gouv.fr>",
        "subject": "Avis de vérification de comptabilité",
        "body": "Madame, Monsieur,\n\nNous vous informons qu'une vérification de comptabilité de votre entreprise portant sur les exercices 2024 et 2025 va être engagée.\nLe vérificateur se présentera le {d+10} à 9h30. Merci de confirmer votre disponibilité et de préparer le fichier des écritures comptables (FEC).\n\nLe service des impôts des entreprises",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}@{dom}>",
        "subject": "{Rappelle-moi vite|Client Dupont}",
        "body": "{p2},\n\npeux-tu me rappeler dès que possible ? M. Dupont menace d'annuler tout le chantier ({m} €) parce que le planning a encore glissé. Il veut une réponse avant ce soir.\n\n{p}",
    },
    {
        "label": "urgent",
        "from": "{co} – Infogérance <alertes@{cod}.fr>",
        "subject": "Échec de sauvegarde – disque critique",
        "body": "Bonjour,\n\nLa sauvegarde de cette nuit a échoué pour la {troisième|deuxième} fois consécutive et le disque principal du serveur signale des secteurs défectueux (état critique).\nRisque de perte de données : nous recommandons le remplacement immédiat. Pouvez-vous valider l'intervention aujourd'hui ?\n\nVotre technicien,\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Réservation ce soir – allergies",
        "body": "Bonjour,\n\nPour notre repas de ce soir (30 personnes, réservation au nom de {n}), deux convives ont une allergie grave aux fruits à coque.\nPourriez-vous me confirmer avant 17h que le menu peut être adapté ? Sinon nous devrons annuler.\n\nMerci,\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "Étude de Maître {n}, commissaire de justice <etude.{nl}@cdj-{vl}.fr>",
        "subject": "Signification – dossier {ref}",
        "body": "Madame, Monsieur,\n\nNous sommes chargés de vous signifier un jugement rendu par le tribunal de commerce de {v} dans le dossier {ref}.\nMerci de prendre contact avec l'étude sous 48 heures afin de convenir des modalités de règlement et éviter une saisie.\n\nL'étude",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "{Livraisons suspendues|Suspension de votre compte client}",
        "body": "Bonjour,\n\nVotre compte client présente {m} € de factures échues. Conformément à nos conditions générales, les livraisons sont suspendues jusqu'à régularisation.\nVotre commande de {wd+1} ne partira pas sans règlement ou accord de votre part aujourd'hui.\n\n{p} {n}\nService crédit clients, {co}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "{Très déçu|Travail bâclé}",
        "body": "Bonjour,\n\nJe suis très déçu du travail réalisé : le {prod} n'est pas conforme au devis (dimensions fausses de 3 cm, finition différente).\n{J'exige que vous veniez constater les défauts cette semaine.|Je refuse de payer le solde tant que ce n'est pas repris.} Sans réponse rapide je laisserai un avis négatif et je contacterai une association de consommateurs.\n\n{p} {n}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "Contrat cadre – signature avant demain midi",
        "body": "Bonjour,\n\nComme convenu, voici le contrat cadre pour 2027. Les prix négociés ne sont garantis que si le contrat est signé avant demain midi : au-delà, notre direction applique la nouvelle grille.\nMerci de me le retourner signé au plus vite.\n\nBien cordialement,\n{p} {n}\n{co}",
    },
    {
        "label": "urgent",
        "from": "Comptabilité {co} <comptabilite@{cod}.fr>",
        "subject": "RAPPEL IMPAYÉ – FACTURE {ref}",
        "body": "Bonjour,\n\nSauf erreur de notre part, la facture {ref} du {d-75} ({m} € TTC) n'est toujours pas réglée, soit 45 jours de retard.\nMerci de procéder au règlement sous 48h ou de nous indiquer la date de paiement.\n\nCordialement,\nService comptabilité – {co}",
    },
    {
        "label": "urgent",
        "from": "{p} <{pl}@{dom}>",
        "subject": "{Vitrine frigo en panne|Chambre froide}",
        "body": "{p2},\n\n{la vitrine réfrigérée ne refroidit plus depuis ce matin, elle est à 12 degrés|la chambre froide est montée à 9 degrés cette nuit}. J'ai mis les produits frais dans l'autre frigo mais il est plein.\nTu appelles le frigoriste ou je m'en occupe ? Il faut quelqu'un aujourd'hui.\n\n{p}",
    },
    {
        "label": "urgent",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Absente demain – ouverture boutique",
        "body": "Bonjour {p2},\n\nJe suis malade (fièvre depuis cette nuit), le médecin m'arrête jusqu'à vendredi. Je ne pourrai pas ouvrir la boutique demain matin.\nIl faut trouver quelqu'un pour l'ouverture de 8h, désolée de prévenir si tard.\n\n{p}",
    },
    {
        "label": "urgent",
        "from": "Service sécurité – Banque {n} <securite@banque-{nl}.fr>",
        "subject": "Opération inhabituelle sur votre compte",
        "body": "Bonjour,\n\nNous avons bloqué un virement de {m} € vers un bénéficiaire inconnu émis ce matin depuis votre espace professionnel.\nSi vous n'êtes pas à l'origine de cette opération, appelez immédiatement votre agence au 04 {tel}. Sans nouvelles de votre part aujourd'hui, le virement sera annulé.\n\nLe service sécurité",
    },
    # ------------------------------------------------------------------ a_traiter
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Demande de devis – {prod}",
        "body": "Bonjour,\n\nNous aimerions faire installer un {prod} dans notre maison à {v}. {Ce n'est pas urgent, les travaux sont prévus pour le printemps.|Rien ne presse, nous réfléchissons pour l'année prochaine.}\nPourriez-vous nous faire un devis ? Je peux vous envoyer des photos et les dimensions.\n\nCordialement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "{Rendez-vous de présentation|Point sur le projet}",
        "body": "Bonjour,\n\nSuite à notre échange téléphonique, je vous propose de nous rencontrer pour parler du projet d'aménagement de nos bureaux.\nSeriez-vous disponible {wd+6} matin ou {wd+8} après-midi ?\n\nBien à vous,\n{p} {n}\n{co}",
    },
    {
        "label": "a_traiter",
        "from": "Facturation {co} <facturation@{cod}.fr>",
        "subject": "Facture {ref}",
        "body": "Bonjour,\n\nVeuillez trouver ci-joint notre facture n° {ref} d'un montant de {m} € TTC, payable à 30 jours, soit avant le {d+30}.\nRèglement par virement sur le compte indiqué sur la facture.\n\nCordialement,\nService facturation\n{co}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Cabinet {n2} <{pl}.{nl}@cabinet-{n2l}.fr>",
        "subject": "Pièces pour le bilan",
        "body": "Bonjour,\n\nPour préparer le bilan, pourriez-vous me transmettre d'ici la fin du mois :\n- l'inventaire des stocks au 31/12 ;\n- les relevés bancaires de décembre ;\n- la liste des immobilisations achetées cette année.\n\nMerci d'avance,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Candidature spontanée – menuisier poseur|Candidature apprenti}",
        "body": "Madame, Monsieur,\n\n{Menuisier poseur avec 6 ans d'expérience|Actuellement en CAP menuiserie}, je me permets de vous adresser ma candidature. Vous trouverez mon CV en pièce jointe.\nJe serais heureux de vous rencontrer pour un entretien à votre convenance.\n\nCordialement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "{Question sur la bibliothèque|Existe en chêne ?}",
        "body": "Bonjour,\nJ'ai vu sur votre site la bibliothèque murale en pin. Existe-t-elle aussi en chêne ? Et quel serait le délai de fabrication ?\nMerci pour votre réponse.\n{p}",
    },
    {
        "label": "a_traiter",
        "from": "{p} <{pl}@{dom}>",
        "subject": "Relecture plaquette",
        "body": "Hello {p2},\n\nQuand tu auras le temps, peux-tu relire la nouvelle plaquette commerciale (en PJ) ? {Pas urgent, on l'imprime le mois prochain.|Aucune urgence, c'est pour le salon de mars.}\nDis-moi si les tarifs sont à jour.\n\n{p}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} via Yousign <noreply@yousign.com>",
        "subject": "{p} {n} vous invite à signer : Contrat de sous-traitance",
        "body": "Bonjour,\n\n{p} {n} ({co}) vous invite à signer le document « Contrat de sous-traitance 2027 ».\nCliquez sur le lien ci-dessous pour consulter et signer le document. Cette demande expire dans 14 jours.\n\nSigner le document\n\nYousign",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Décaler le rendez-vous",
        "body": "Bonjour,\n\nNous avions rendez-vous {wd+2} à 10h pour la prise de mesures. {Serait-il possible de le décaler à la semaine prochaine ?|Pourrions-nous plutôt nous voir en fin de semaine prochaine ?} J'ai un empêchement professionnel.\n\nMerci et bonne journée,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Assurances <{pl}.{nl}@assur-{vl}.fr>",
        "subject": "Renouvellement de votre contrat multirisque",
        "body": "Bonjour,\n\nVotre contrat multirisque professionnelle arrive à échéance le {d+45}. Vous trouverez ci-joint les conditions de renouvellement (garanties inchangées, cotisation révisée).\nMerci de nous retourner le bulletin signé avant le {d+35} si vous souhaitez le renouveler.\n\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Suite à votre visite|Devis cuisine – relance}",
        "body": "Bonjour,\n\nJe me permets de vous relancer au sujet du devis pour la cuisine, suite à votre visite du {d-12}. Avez-vous pu avancer ?\nNous aimerions prendre une décision avant les fêtes.\n\nBonne journée,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – {co} <{pl}@{cod}.fr>",
        "subject": "Confirmation des quantités – commande {ref}",
        "body": "Bonjour,\n\nAvant de lancer votre commande {ref}, pouvez-vous nous confirmer les quantités ? Vous avez indiqué 40 panneaux de 19 mm, mais notre conditionnement est par 12.\nPréférez-vous 36 ou 48 panneaux ?\n\nCordialement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Révision annuelle du loyer",
        "body": "Bonjour,\n\nComme chaque année, le loyer de l'atelier sera révisé selon l'indice des loyers commerciaux à compter du 1er janvier. Je vous enverrai le détail du calcul.\nPar ailleurs, pouvez-vous me faire parvenir votre attestation d'assurance pour l'année à venir ?\n\nCordialement,\n{p} {n}, propriétaire",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – US {v} Football <{pl}.{nl}@us{vl}-foot.fr>",
        "subject": "{Partenariat saison 2027|Soutien à notre club}",
        "body": "Bonjour,\n\nJe suis trésorier de l'US {v}, le club de football de la commune (180 licenciés). Nous cherchons des partenaires locaux pour financer les maillots des équipes jeunes.\nSeriez-vous intéressé par un encart sur nos panneaux ? Je peux passer vous présenter le projet.\n\nSportivement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "Duplicata de facture",
        "body": "Bonjour,\n\nJe ne retrouve pas la facture de la pose des fenêtres (chantier de {d-90:month}). Pourriez-vous m'en envoyer un duplicata ? Mon comptable en a besoin pour le crédit d'impôt.\n\nMerci beaucoup,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Ajout à ma commande",
        "body": "Bonjour,\n\nEst-il possible d'ajouter deux étagères supplémentaires à ma commande {ref} ? {Je peux régler la différence à la livraison.|Dites-moi le supplément à prévoir.}\n\nCordialement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Lycée professionnel de {v} <{pl}.{nl}@ac-{vl}.fr>",
        "subject": "Évaluation du stage de {p2}",
        "body": "Bonjour,\n\n{p2} a terminé sa période de formation en entreprise chez vous. Pourriez-vous compléter la grille d'évaluation jointe et nous la retourner avant le {d+20} ?\n\nAvec mes remerciements,\n{p} {n}\nProfesseur principal",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Architecte <{pl}@atelier-{nl}.fr>",
        "subject": "Plans indice B – maison {n2}",
        "body": "Bonjour,\n\nVous trouverez ci-joint les plans indice B de la maison {n2}. Pouvez-vous me faire part de vos remarques sur les menuiseries intérieures avant la réunion de chantier du {d+14} ?\n\nCordialement,\n{p} {n}, architecte DPLG",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Question garantie",
        "body": "Bonjour,\n\nCe n'est pas pressé, mais j'ai une question : le tiroir de la commode que vous avez fabriquée l'an dernier force un peu à l'ouverture. Est-ce couvert par la garantie ?\nVous pourrez passer quand vous serez dans le quartier.\n\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Cabinet {n2} <{pl}.{nl}@cabinet-{n2l}.fr>",
        "subject": "Bilan {d-330:year} à valider",
        "body": "Bonjour,\n\nLe projet de bilan est prêt. Pourriez-vous le relire et me le valider d'ici deux semaines ? Nous pourrons ensuite préparer l'assemblée générale.\nJe reste disponible pour en parler.\n\nBien cordialement,\n{p} {n}",
    },
    {
        "label": "a_traiter",
        "from": "Mairie de {v} – Urbanisme <urbanisme@mairie-{vl}.fr>",
        "subject": "Votre demande d'autorisation de terrasse",
        "body": "Madame, Monsieur,\n\nNous avons bien reçu votre demande d'autorisation d'occupation du domaine public pour {une terrasse|un étal devant la boutique}. Le dossier est incomplet : merci de nous transmettre le plan d'implantation et l'attestation d'assurance.\n\nLe service urbanisme",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "Tarifs 2027",
        "body": "Bonjour,\n\nPour préparer nos budgets, pourriez-vous nous adresser votre grille tarifaire 2027 ? {Nous souhaiterions aussi connaître vos délais moyens de fabrication.|Avez-vous prévu une hausse sur les bois exotiques ?}\n\nCordialement,\n{p} {n}\nService achats, {co}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – {co} <{pl}@{cod}.fr>",
        "subject": "Ouverture de compte",
        "body": "Bonjour,\n\nNous souhaitons travailler avec vous pour nos prochains chantiers. Afin d'ouvrir votre compte fournisseur, merci de nous envoyer un RIB, un extrait Kbis de moins de 3 mois et votre attestation URSSAF.\n\nBien à vous,\n{p} {n}\nComptabilité fournisseurs",
    },
    {
        "label": "a_traiter",
        "from": "{p} <{pl}@{dom}>",
        "subject": "Repas d'équipe de fin d'année",
        "body": "Salut tout le monde,\n\nOn organise le repas de fin d'année ! Deux dates possibles : {wd+9} soir ou {wd+10} midi. Et côté resto, plutôt pizzeria ou bistrot ?\nRépondez-moi avant la fin de la semaine.\n\n{p}",
    },
    {
        "label": "a_traiter",
        "from": "{p} <{pl}@{dom}>",
        "subject": "Inventaire",
        "body": "{p2},\n\nrien d'urgent : tu pourrais me dire combien il nous reste de plaques de contreplaqué de 18 ? Je prépare la commande du mois prochain.\nMerci !\n{p}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} – Le Journal de {v} <{pl}.{nl}@journal{vl}.fr>",
        "subject": "Article sur les artisans du quartier",
        "body": "Bonjour,\n\nJe prépare un article sur les artisans du centre-ville pour notre édition de janvier. Accepteriez-vous une interview d'une vingtaine de minutes et une photo dans votre atelier ?\n\nBien cordialement,\n{p} {n}, journaliste",
    },
    {
        "label": "a_traiter",
        "from": "Formulaire du site <noreply@{dom}>",
        "subject": "Nouveau message depuis le formulaire de contact",
        "body": "Nouveau message reçu depuis le formulaire de contact du site.\n\nNom : {p} {n}\nE-mail : {pl}.{nl}@{mail}\nMessage : Bonjour, je voudrais un devis pour {un|une rénovation d'}{prod} dans un appartement à {v}. Vous pouvez me rappeler le soir après 18h.\n",
    },
    {
        "label": "a_traiter",
        "from": "{co} <factures@{cod}.fr>",
        "subject": "Votre facture {ref}",
        "body": "Madame, Monsieur,\n\nVous trouverez en pièce jointe la facture {ref} relative à la livraison du {d-3}, pour un montant de {m} € TTC.\nÉchéance : {d+45}. Merci d'indiquer le numéro de facture dans le libellé de votre virement.\n\n{co}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{dom}>",
        "subject": "Demande de congés",
        "body": "Bonjour {p2},\n\nJe souhaiterais poser mes congés du {d+26} au {d+30}. Peux-tu me dire si c'est possible vu le planning des chantiers ?\n\nMerci,\n{p}",
    },
    {
        "label": "a_traiter",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Projet de terrasse au printemps|Disponibilité pour avril}",
        "body": "Bonjour,\n\nNous envisageons de faire construire une terrasse en bois d'environ 25 m² au printemps prochain. Auriez-vous des disponibilités en avril ou mai ?\nDans l'attente de votre retour,\n{p} {n}",
    },
    # ------------------------------------------------------------------ information
    {
        "label": "information",
        "from": "{co} <commandes@{cod}.fr>",
        "subject": "Confirmation de votre commande {ref}",
        "body": "Bonjour,\n\nNous vous confirmons la bonne réception de votre commande {ref} d'un montant de {m} € HT. Elle sera préparée sous 5 jours ouvrés.\nVous recevrez un e-mail lors de l'expédition.\n\nMerci de votre confiance,\n{co}",
    },
    {
        "label": "information",
        "from": "{co} Logistique <no-reply@{cod}.fr>",
        "subject": "Votre colis a été expédié",
        "body": "Bonjour,\n\nVotre commande {ref} a été expédiée aujourd'hui. Numéro de suivi : {track}.\nLivraison estimée : {wd+2}.\n\nCeci est un message automatique, merci de ne pas y répondre.",
    },
    {
        "label": "information",
        "from": "Qonto <no-reply@qonto.com>",
        "subject": "Virement reçu de {co}",
        "body": "Bonjour,\n\nVous avez reçu un virement de {m} € de {co}.\nLibellé : Facture {ref}\nLe montant est disponible sur votre compte.\n\nL'équipe Qonto",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}@{dom}>",
        "subject": "{Compte rendu réunion de chantier|CR réunion du jour}",
        "body": "Bonjour à tous,\n\nVoici le compte rendu de la réunion de chantier de ce matin :\n- pose des huisseries terminée ;\n- livraison des portes le {d+7} ;\n- prochaine réunion dans deux semaines.\n\nPas besoin de répondre, c'est pour mémoire.\n{p}",
    },
    {
        "label": "information",
        "from": "EDF Entreprises <no-reply@edf.fr>",
        "subject": "Votre facture d'électricité est disponible",
        "body": "Bonjour,\n\nVotre facture du mois est disponible dans votre espace client. Montant : {m} € TTC.\nElle sera prélevée automatiquement le {d+10} sur votre compte.\n\nEDF Entreprises",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "{Merci !|Un grand merci}",
        "body": "Bonjour,\n\n{Juste un petit mot pour vous remercier : le dressing est magnifique et parfaitement fini.|Merci pour le travail réalisé sur l'escalier, toute la famille est ravie.} Nous vous recommanderons autour de nous.\n\nBien cordialement,\n{p} {n}",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}@{dom}>",
        "subject": "Absence du {d+3} au {d+7}",
        "body": "Bonjour,\n\nJe serai absent du {d+3} au {d+7} inclus. {p2} assure le suivi des chantiers en cours pendant cette période.\n\nBonne semaine,\n{p}",
    },
    {
        "label": "information",
        "from": "{p} <{pl}@{dom}>",
        "subject": "TR : Nouvelle réglementation sur les escaliers",
        "body": "Pour info, un article intéressant sur la nouvelle norme garde-corps.\n\n---------- Message transféré ----------\nDe : Le Moniteur <redaction@lemoniteur.fr>\nObjet : Garde-corps : ce qui change\n\nLa norme NF P01-012 évolue pour les escaliers {des logements neufs|des établissements recevant du public}...",
    },
    {
        "label": "information",
        "from": "Google <no-reply@accounts.google.com>",
        "subject": "Alerte de sécurité : mot de passe modifié",
        "body": "Le mot de passe de votre compte {pl}@{dom} a été modifié.\nSi vous êtes à l'origine de cette modification, vous pouvez ignorer cet e-mail.\n\nL'équipe Comptes Google",
    },
    {
        "label": "information",
        "from": "{p} {n} – Cabinet {n2} <{pl}.{nl}@cabinet-{n2l}.fr>",
        "subject": "Liasse fiscale transmise",
        "body": "Bonjour,\n\nJe vous informe que la liasse fiscale a été transmise aux impôts ce jour. Rien à faire de votre côté.\nJe vous enverrai les comptes annuels reliés d'ici quelques semaines.\n\nBien cordialement,\n{p} {n}",
    },
    {
        "label": "information",
        "from": "Banque {n} <notifications@banque-{nl}.fr>",
        "subject": "Votre relevé de compte est disponible",
        "body": "Bonjour,\n\nVotre relevé de compte professionnel de {d-5:month} est disponible dans votre espace en ligne, rubrique Documents.\n\nCeci est un message automatique.",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Rendez-vous confirmé",
        "body": "Bonjour,\n\nC'est noté pour {wd+3} à 14h à l'atelier, comme convenu au téléphone. {Je viendrai avec mon mari.|J'apporterai les échantillons de tissu.}\n\nÀ {wd+3},\n{p} {n}",
    },
    {
        "label": "information",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "Fermeture de fin d'année",
        "body": "Bonjour,\n\nNos bureaux et notre dépôt seront fermés du {d+25} au {d+33} inclus. Les commandes passées pendant cette période seront traitées à la réouverture.\n\nNous vous souhaitons de belles fêtes,\n{p} {n}\n{co}",
    },
    {
        "label": "information",
        "from": "{p} <{pl}@{dom}>",
        "subject": "Dossier {n2} réglé",
        "body": "{p2},\n\npour info, le dossier urgent de la semaine dernière ({n2}, la porte-fenêtre) est réglé : le client a validé la reprise et il est content. Rien à faire de ton côté.\n\n{p}",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Re: Facture {ref}",
        "body": "Bonjour,\n\nBien reçu la facture, merci. Le virement part aujourd'hui.\n\nCordialement,\n{p} {n}\n\nLe {d-2:long}, {co} <contact@{cod}.fr> a écrit :\n> Bonjour, veuillez trouver ci-joint la facture {ref}. Merci de la régler sous 30 jours.",
    },
    {
        "label": "information",
        "from": "Colissimo <noreply@notif-colissimo-laposte.info>",
        "subject": "Votre colis a été livré",
        "body": "Bonjour,\n\nVotre colis {track} a été livré ce jour à 11h42 dans votre boîte aux lettres.\n\nColissimo",
    },
    {
        "label": "information",
        "from": "URSSAF <ne-pas-repondre@urssaf.fr>",
        "subject": "Votre attestation de vigilance est disponible",
        "body": "Madame, Monsieur,\n\nVotre attestation de vigilance {du {d:month}|demandée le {d-1}} est disponible dans votre espace en ligne. Elle est valable six mois.\n\nVotre URSSAF",
    },
    {
        "label": "information",
        "from": "impots.gouv.fr <ne-pas-repondre@dgfip.finances.gouv.fr>",
        "subject": "Votre avis de CFE est disponible",
        "body": "Madame, Monsieur,\n\nVotre avis de cotisation foncière des entreprises est disponible dans votre espace professionnel. Vous avez adhéré au prélèvement à l'échéance : le montant sera prélevé automatiquement le {d+20}.\n\nLa Direction générale des Finances publiques",
    },
    {
        "label": "information",
        "from": "{p} <{pl}@{dom}>",
        "subject": "{Arrivé sur le chantier|Chantier {n2}}",
        "body": "Salut,\n\n{bien arrivé chez Mme {n2}, on a commencé la dépose des anciennes fenêtres, tout se passe bien.|on a fini la pose chez {n2} avec une heure d'avance, le client est ravi.}\n\n{p}",
    },
    {
        "label": "information",
        "from": "{p} {n} – {co} <{pl}@{cod}.fr>",
        "subject": "Travaux terminés – photos",
        "body": "Bonjour,\n\nLes travaux d'électricité de l'atelier sont terminés. Vous trouverez en pièces jointes les photos du tableau et le certificat de conformité.\n\nCordialement,\n{p} {n}\n{co}",
    },
    {
        "label": "information",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "Changement de coordonnées",
        "body": "Bonjour,\n\nNous vous informons que {co} déménage : à compter du {d+30}, notre nouvelle adresse sera le {num} avenue de la Gare, {v}. Le téléphone et les adresses e-mail restent inchangés.\n\n{p} {n}",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}.{nl}@{mail}>",
        "subject": "Merci pour le stage",
        "body": "Bonjour {p2},\n\nJe voulais vous remercier pour ces six semaines de stage. J'ai beaucoup appris à l'atelier et l'équipe a été super.\n\nÀ bientôt j'espère,\n{p}",
    },
    {
        "label": "information",
        "from": "Doctolib <no-reply@doctolib.fr>",
        "subject": "Rappel de votre rendez-vous",
        "body": "Bonjour {p},\n\nNous vous rappelons votre rendez-vous {wd+1} à 9h15 avec le Dr {n} (médecine du travail), {v}.\n\nDoctolib",
    },
    {
        "label": "information",
        "from": "SumUp <no-reply@sumup.com>",
        "subject": "Votre versement a été effectué",
        "body": "Bonjour,\n\nNous avons effectué un versement de {m} € sur votre compte bancaire pour les paiements par carte de la semaine.\n\nL'équipe SumUp",
    },
    {
        "label": "information",
        "from": "{p} {n} – Assurances <{pl}.{nl}@assur-{vl}.fr>",
        "subject": "Attestation d'assurance décennale {d+40:year}",
        "body": "Bonjour,\n\nVeuillez trouver ci-joint votre attestation d'assurance décennale pour l'année à venir.\n\nBien cordialement,\n{p} {n}",
    },
    {
        "label": "information",
        "from": "{p} <{pl}@{dom}>",
        "subject": "{FYI paiement {n2}|Le client {n2} a payé}",
        "body": "FYI : {n2} a enfin réglé sa facture ({m} €), le virement est arrivé ce matin.\n\n{p}",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}.{nl}@{cod}.fr>",
        "subject": "Réponse automatique : {Devis menuiseries|Commande de panneaux}",
        "body": "Bonjour,\n\nJe suis absent du bureau jusqu'au {d+6} avec un accès limité à ma messagerie. Pour toute demande, vous pouvez contacter le standard au 04 {tel}.\n\n{p} {n}",
    },
    {
        "label": "information",
        "from": "Chorus Pro <ne-pas-repondre@chorus-pro.gouv.fr>",
        "subject": "Facture {ref} mise en paiement",
        "body": "Bonjour,\n\nLa facture {ref} déposée sur Chorus Pro a été mise en paiement le {d-1} par la mairie de {v}.\n\nCeci est un message automatique.",
    },
    {
        "label": "information",
        "from": "{p} {n} – {co} <{pl}.{nl}@{cod}.fr>",
        "subject": "Changement de transporteur",
        "body": "Bonjour,\n\nÀ partir de janvier, nos livraisons seront assurées par un nouveau transporteur. Rien ne change pour vous : mêmes délais, mêmes conditions.\n\nCordialement,\n{p} {n}",
    },
    {
        "label": "information",
        "from": "{p} {n} <{pl}{nl}@{mail}>",
        "subject": "Des nouvelles de la terrasse",
        "body": "Bonjour,\n\nJuste pour vous dire que la terrasse a très bien passé l'hiver, aucune lame n'a bougé. {Encore bravo pour le travail !|Les voisins nous demandent votre adresse.}\n\n{p} {n}",
    },
    # ------------------------------------------------------------------ publicite
    {
        "label": "publicite",
        "from": "{shop} <newsletter@news.{shopd}>",
        "subject": "{URGENT : plus que 24h pour profiter de -40 %|⚠️ Dernières heures : -40 % sur tout}",
        "body": "Bonjour,\n\nC'est maintenant ou jamais : -40 % sur {toute la quincaillerie|l'outillage électroportatif} jusqu'à minuit !\nCode promo : FLASH40\n\nJe profite de l'offre\n\nVous recevez cet e-mail car vous êtes inscrit à notre newsletter. Se désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{co} <info@{cod}.fr>",
        "subject": "Découvrez nos nouveautés {d+40:year}",
        "body": "Bonjour,\n\nDécouvrez notre nouveau catalogue : plus de 200 nouvelles références en quincaillerie d'agencement, dont la gamme {de charnières invisibles|de coulisses à fermeture amortie}.\nLivraison offerte dès 150 € HT.\n\nVoir le catalogue\n\nPour ne plus recevoir nos communications, cliquez ici.",
        "headers": {"List-Unsubscribe": "<https://r.sendinblue.com/unsub>"},
    },
    {
        "label": "publicite",
        "from": "{co} Événements <evenements@{cod}.fr>",
        "subject": "Webinaire : facturation électronique, êtes-vous prêt ?",
        "body": "Bonjour,\n\nLa facturation électronique devient obligatoire : êtes-vous prêt ? Participez à notre webinaire gratuit le {d+9} à 11h.\nAu programme : calendrier, plateformes agréées, démonstration de notre logiciel.\n\nJe m'inscris\n\nSe désinscrire",
    },
    {
        "label": "publicite",
        "from": "{p} {n} <{pl}.{nl}@{agency}.fr>",
        "subject": "{Votre visibilité sur Google|Question rapide sur votre site}",
        "body": "Bonjour,\n\nJe me permets de vous contacter car votre site n'apparaît pas dans les premiers résultats pour « menuisier {v} ». Notre agence accompagne les artisans dans leur référencement local.\nSeriez-vous disponible pour un rapide appel de 15 minutes cette semaine ?\n\nBien à vous,\n{p} {n}",
    },
    {
        "label": "publicite",
        "from": "{shop} <promo@{shopd}>",
        "subject": "BLACK FRIDAY : jusqu'à -60 % sur l'outillage",
        "body": "Black Friday commence MAINTENANT !\n{Scies, ponceuses, perceuses|Défonceuses, visseuses, aspirateurs de chantier} : jusqu'à -60 % sur les plus grandes marques.\nOffre valable jusqu'à lundi minuit, dans la limite des stocks disponibles.\n\nJ'en profite\n\nSi ce message ne s'affiche pas correctement, consultez la version en ligne.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{p} {n} – {co} Énergie <{pl}.{nl}@{cod}-energie.fr>",
        "subject": "Réduisez votre facture d'électricité",
        "body": "Bonjour,\n\nLes prix de l'énergie ont fortement augmenté. Notre cabinet de courtage a permis à plus de 2 000 artisans de réduire leur facture d'électricité jusqu'à 30 %.\nAudit gratuit et sans engagement : puis-je vous appeler {wd+1} ?\n\n{p} {n}\nConseiller énergie",
    },
    {
        "label": "publicite",
        "from": "{co} Leasing <offres@{cod}-leasing.fr>",
        "subject": "Votre utilitaire à partir de 299 € HT/mois",
        "body": "Bonjour,\n\nProfitez de notre offre exceptionnelle de location longue durée : {utilitaire 3 places|fourgon 12 m³} à partir de 299 € HT par mois, entretien inclus.\nOffre limitée aux 50 premiers contrats.\n\nDemander mon devis\n\nConformément au RGPD, vous pouvez vous désinscrire à tout moment.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "Salon {co} <salon@{cod}.fr>",
        "subject": "{Dernier rappel : votre badge gratuit pour le salon|Plus que 3 jours pour obtenir votre badge gratuit}",
        "body": "Bonjour,\n\nLe salon des professionnels du bois ouvre ses portes dans trois jours à {v} ! Plus de 300 exposants, des conférences et des démonstrations.\nVotre badge d'accès gratuit vous attend : inscrivez-vous en ligne dès maintenant.\n\nGérer mes préférences | Se désabonner",
        "headers": {"List-Unsubscribe": "<mailto:unsub@{cod}.fr>", "List-Id": "salon.{cod}.fr"},
    },
    {
        "label": "publicite",
        "from": "Banque {n} Pro <communication@banque-{nl}.fr>",
        "subject": "Financez vos projets avec notre prêt professionnel",
        "body": "Bonjour,\n\nVous avez un projet d'investissement ? Découvrez notre prêt {équipement|véhicule} à taux préférentiel, avec une réponse de principe en 48 h.\nPrenez rendez-vous avec votre conseiller.\n\nVous recevez ce message car vous êtes client. Pour ne plus recevoir nos offres, modifiez vos préférences dans votre espace.",
    },
    {
        "label": "publicite",
        "from": "{shop} Bureau <news@{shopd}>",
        "subject": "Fournitures de bureau : livraison offerte dès 49 €",
        "body": "{Papier, cartouches, classeurs|Enveloppes, agrafeuses, étiquettes} : faites le plein avant la rentrée de janvier !\nLivraison offerte dès 49 € d'achat et -10 % sur votre première commande avec le code BIENVENUE.\n\nVoir les offres\n\nSe désabonner de la newsletter",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "Fédération des artisans du bâtiment <lettre@{fed}.fr>",
        "subject": "La lettre d'information de {d:month}",
        "body": "Au sommaire ce mois-ci :\n- Facturation électronique : le calendrier\n- Formation : les nouvelles sessions\n- Agenda : assemblée générale {départementale|à {v}}\n\nLire la lettre en ligne\n\nVous recevez cette lettre d'information en tant qu'adhérent. Se désinscrire.",
        "headers": {"List-Unsubscribe": "<mailto:unsub@{fed}.fr>", "Precedence": "bulk"},
    },
    {
        "label": "publicite",
        "from": "{app} <hello@{appd}>",
        "subject": "Passez à {app} Pro : -20 % jusqu'à dimanche",
        "body": "Bonjour {p},\n\nVous utilisez {app} depuis un an. Passez à la version Pro pour débloquer les relances automatiques et le multi-utilisateur.\n-20 % sur l'abonnement annuel jusqu'à dimanche seulement.\n\nJe passe à Pro\n\nSe désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{p} {n} <{pl}@studio-{nl}.fr>",
        "subject": "{Votre site mérite mieux|Refonte de votre site internet}",
        "body": "Bonjour,\n\nEn visitant votre site, j'ai remarqué qu'il n'est pas adapté aux mobiles. Votre site internet pourrait vous apporter beaucoup plus de clients.\nNous réalisons des sites pour les artisans à partir de 990 €. Avez-vous 20 minutes pour en discuter ?\n\n{p} {n}, webdesigner",
    },
    {
        "label": "publicite",
        "from": "{shop} <offres@{shopd}>",
        "subject": "Action requise : votre remise expire bientôt",
        "body": "Bonjour,\n\nVotre remise de fidélité de 15 % expire dans 48 heures, {p}. Action requise : utilisez-la avant qu'il ne soit trop tard !\nValable sur tout le site, hors articles déjà soldés.\n\nJ'utilise ma remise\n\nVous ne souhaitez plus recevoir nos e-mails ? Désabonnez-vous.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{p} {n} <{pl}.{nl}@{co2d}.fr>",
        "subject": "Votre facture d'énergie peut baisser",
        "body": "Bonjour,\n\nVotre facture d'énergie est trop élevée ? Nos panneaux solaires pour toitures d'ateliers permettent de réduire vos coûts dès la première année, avec des aides de l'État.\nJe vous propose une étude gratuite et sans engagement.\n\nCordialement,\n{p} {n}, chargé d'affaires",
    },
    {
        "label": "publicite",
        "from": "{shop} <jeux@{shopd}>",
        "subject": "Jeu concours : gagnez une scie à onglet !",
        "body": "Participez à notre grand jeu concours de Noël et tentez de gagner une scie à onglet radiale !\nTirage au sort le {d+20}. Participation gratuite et sans obligation d'achat.\n\nJe participe\n\nSe désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{co} Formation <formation@{cod}.fr>",
        "subject": "Formations {d+40:year} : dernières places",
        "body": "Bonjour,\n\nNos formations finançables par votre OPCO pour l'année prochaine : {CACES, SST, dessin 3D, gestion d'entreprise artisanale|habilitation électrique, SST, finition bois, devis et facturation}.\nDernières places disponibles pour les sessions de janvier.\n\nDécouvrir le catalogue\n\nPour vous désinscrire, répondez STOP.",
    },
    {
        "label": "publicite",
        "from": "{agency2} <bonjour@{agency2d}>",
        "subject": "500 € de crédit publicitaire offert",
        "body": "Bonjour,\n\nBonne nouvelle : votre entreprise est éligible à 500 € de crédit publicitaire offert pour votre première campagne en ligne !\nNos experts {créent votre campagne en 24 h|s'occupent de tout pour votre entreprise à {v}}. Offre valable jusqu'à la fin du mois.\n\nActiver mon crédit\n\nSe désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{co} <ventes@{cod}.fr>",
        "subject": "{Vente flash 48h sur le chêne massif|48 h seulement : chêne massif à prix cassé}",
        "body": "Bonjour,\n\nVente flash sur nos {plateaux et avivés|lames et tasseaux} de chêne massif : -25 % pendant 48 h, stock limité.\nRetrait au dépôt ou livraison sur chantier.\n\nVoir les produits\n\nVous recevez cet e-mail car vous êtes client professionnel. Gérer vos préférences.",
        "headers": {"List-Unsubscribe": "<https://mj.{cod}.fr/unsub>"},
    },
    {
        "label": "publicite",
        "from": "{mag} <abonnements@{magd}>",
        "subject": "Abonnez-vous : 3 mois offerts",
        "body": "Bonjour,\n\nLe magazine de référence des professionnels du bois : {techniques, chantiers, réglementation|outillage, témoignages, formations}.\nAbonnez-vous maintenant et recevez 3 numéros offerts.\n\nJe m'abonne\n\nSi vous ne souhaitez plus recevoir nos offres, cliquez ici.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{mag} <newsletter@{magd}>",
        "subject": "Les 5 tendances du bâtiment en {d+40:year}",
        "body": "Cette semaine dans votre newsletter :\n1. Les 5 tendances du bâtiment pour l'année prochaine\n2. {Bois local : la filière s'organise|Recrutement : comment attirer des apprentis}\n3. Témoignage : un menuisier passe au 100 % numérique\n\nLire la suite\n\nVous recevez cette newsletter car vous vous êtes inscrit sur notre site.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{p} {n} <{pl}@leads-{nl}.fr>",
        "subject": "Des chantiers qualifiés chaque semaine",
        "body": "Bonjour,\n\nNous aidons les artisans à générer plus de clients grâce à des prospects qualifiés dans leur zone.\nNos partenaires reçoivent en moyenne 8 demandes de devis par mois. Seriez-vous ouvert à un court échange cette semaine ?\n\n{p} {n}\nResponsable partenariats",
    },
    {
        "label": "publicite",
        "from": "{market} <notifications@{marketd}>",
        "subject": "3 nouveaux clients près de chez vous",
        "body": "Bonjour,\n\n3 particuliers recherchent un menuisier près de {v} ! Pour consulter leurs coordonnées, passez à l'abonnement Premium.\nPremier mois à 1 €, sans engagement.\n\nPasser Premium\n\nGérer mes notifications | Se désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{co} <noel@{cod}.fr>",
        "subject": "Commandes de Noël : commandez avant le {d+15}",
        "body": "Bonjour,\n\nPour être livré avant Noël, commandez avant le {d+15} ! Profitez aussi de nos offres de fin d'année sur les coffrets cadeaux et les articles de décoration.\n\nJe commande\n\nVersion en ligne | Se désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{brand} <invitation@{brandd}>",
        "subject": "Invitation : soirée de lancement",
        "body": "Vous êtes invité !\n\n{brand} vous convie au lancement de sa nouvelle gamme de vernis écologiques, le {d+12} à 19h, dans notre showroom.\nCocktail et démonstrations. Places limitées, réservez votre place.\n\nJe réserve\n\nSe désinscrire",
        "headers": {"List-Unsubscribe": "<mailto:unsub@{brandd}>"},
    },
    {
        "label": "publicite",
        "from": "{co} Assurances <contact@{cod}-assurances.fr>",
        "subject": "Protégez votre activité",
        "body": "Bonjour,\n\nArtisan, êtes-vous bien couvert ? {Responsabilité civile, décennale, multirisque|Décennale, flotte automobile, protection juridique} : obtenez votre devis personnalisé en 2 minutes.\nOffre de bienvenue : -15 % la première année.\n\nObtenir mon devis\n\nVous pouvez vous désabonner à tout moment.",
    },
    {
        "label": "publicite",
        "from": "{shop} <panier@{shopd}>",
        "subject": "{Votre panier vous attend|Vous avez oublié quelque chose ?}",
        "body": "Bonjour,\n\nVous avez laissé des articles dans votre panier : {2 × serre-joints 600 mm|1 × scie plongeante et son rail}.\nFinalisez votre commande et profitez de la livraison gratuite dès aujourd'hui.\n\nRetour au panier\n\nSe désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{print} <offres@{printd}>",
        "subject": "Cartes de vœux personnalisées : -30 %",
        "body": "Souhaitez la bonne année à vos clients avec des cartes de vœux à votre image !\n-30 % sur les cartes de vœux personnalisées jusqu'au {d+18} avec le code VOEUX30.\n\nJe crée mes cartes\n\nSe désabonner",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{shop} <enquete@{shopd}>",
        "subject": "Votre avis compte : 2 minutes pour gagner un bon d'achat",
        "body": "Bonjour,\n\nAidez-nous à améliorer nos services en répondant à notre questionnaire de satisfaction (2 minutes).\nÀ la clé : un tirage au sort pour gagner un bon d'achat de {100|150} €.\n\nJe réponds\n\nPour ne plus recevoir nos e-mails, désabonnez-vous.",
        "headers": UNSUB,
    },
    {
        "label": "publicite",
        "from": "{app} <news@{appd}>",
        "subject": "Nouveau : la signature électronique arrive dans {app} !",
        "body": "Bonjour {p},\n\nBonne nouvelle : vous pouvez désormais faire signer vos devis en ligne directement depuis {app}.\nDécouvrez la nouvelle fonctionnalité en vidéo.\n\nVoir la démo\n\nVous recevez cet e-mail car vous avez un compte {app}. Se désabonner",
        "headers": UNSUB,
    },
]

SHOPS = [
    ("OutilPro", "outilpro.fr"),
    ("Brico Direct", "bricodirect.fr"),
    ("Quincaille & Co", "quincailleco.fr"),
    ("BoisMarket", "boismarket.fr"),
]
APPS = [("Facturo", "facturo.io"), ("Devisio", "devisio.fr"), ("Chantier+", "chantierplus.fr")]
MAGS = [("Bois Mag", "boismag.fr"), ("L'Artisan Moderne", "artisan-moderne.fr")]
AGENCIES = [("Pub Locale", "publocale.fr"), ("Visibilis", "visibilis.io")]
MARKETS = [("TrouverUnArtisan", "trouverunartisan.fr"), ("ProsDuCoin", "prosducoin.fr")]
PRINTS = [("ImprimTout", "imprimtout.fr"), ("Cartes & Co", "cartes-co.fr")]
BRANDS = [("Vernis Durable", "vernis-durable.fr"), ("LasurNature", "lasurnature.fr")]
MAILS = ["gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "sfr.fr", "hotmail.fr", "yahoo.fr"]
DOMAINS = ["menuiserie-martin.fr", "atelier-bois-durand.fr", "plomberie-leroy.fr", "boulangerie-moreau.fr"]


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


def render(template: str, variant: int, values: dict[str, str], date: dt.datetime) -> str:
    def slot(match: re.Match[str]) -> str:
        key = match.group(1)
        if "|" in key:
            return key.split("|")[variant]
        offset = re.fullmatch(r"(d|wd)([+-]\d+)?(?::(month|long|year))?", key)
        if offset:
            kind, delta, form = offset.group(1), int(offset.group(2) or 0), offset.group(3)
            day = (date + dt.timedelta(days=delta)).date()
            if kind == "wd":
                return WEEKDAYS[day.weekday()]
            if form == "month":
                return f"{MONTHS[day.month - 1]} {day.year}"
            if form == "year":
                return str(day.year)
            if form == "long":
                return f"{WEEKDAYS[day.weekday()][:3]}. {day.day} {MONTHS[day.month - 1]} {day.year}"
            return day.strftime("%d/%m/%Y")
        return values[key]

    while re.search(r"\{[^{}]*\}", template):
        template = re.sub(r"\{([^{}]*)\}", slot, template)
    return template


def build() -> list[dict[str, object]]:
    rng = random.Random(20261126)
    records: list[dict[str, object]] = []
    per_label_index: dict[str, int] = {}
    for family_index, family in enumerate(FAMILIES):
        label = str(family["label"])
        position = per_label_index.get(label, 0)
        per_label_index[label] = position + 1
        split = "dev" if position % 2 == 0 else "test"
        family_id = f"{label[:1]}{position + 1:02d}"
        for variant in (0, 1):
            first, first2 = rng.sample(FIRST, 2)
            last, last2 = rng.sample(LAST, 2)
            city = rng.choice(CITIES)
            company, company2 = rng.sample(COMPANIES, 2)
            shop, app, mag = rng.choice(SHOPS), rng.choice(APPS), rng.choice(MAGS)
            agency2, market, printer, brand = (
                rng.choice(AGENCIES),
                rng.choice(MARKETS),
                rng.choice(PRINTS),
                rng.choice(BRANDS),
            )
            date = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))) + dt.timedelta(
                days=rng.randrange(0, 70), minutes=rng.randrange(0, 11 * 60)
            )
            values = {
                "p": first,
                "n": last,
                "p2": first2,
                "n2": last2,
                "pl": slug(first),
                "nl": slug(last),
                "n2l": slug(last2),
                "v": city,
                "vl": slug(city),
                "co": company,
                "cod": slug(company),
                "co2d": slug(company2),
                "m": f"{rng.randrange(80, 9000)},{rng.randrange(0, 100):02d}",
                "ref": f"{rng.choice(['FA', 'F', 'CMD', ''])}{date.year}-{rng.randrange(100, 9999):04d}",
                "tel": " ".join(f"{rng.randrange(0, 100):02d}" for _ in range(4)),
                "num": str(rng.randrange(2, 120)),
                "prod": rng.choice(PRODUCTS),
                "mail": rng.choice(MAILS),
                "dom": rng.choice(DOMAINS),
                "track": f"6A{rng.randrange(10**10, 10**11)}",
                "agency": rng.choice(["webvisibilite", "seo-local", "rankup"]),
                "shop": shop[0],
                "shopd": shop[1],
                "app": app[0],
                "appd": app[1],
                "mag": mag[0],
                "magd": mag[1],
                "agency2": agency2[0],
                "agency2d": agency2[1],
                "market": market[0],
                "marketd": market[1],
                "print": printer[0],
                "printd": printer[1],
                "brand": brand[0],
                "brandd": brand[1],
                "fed": rng.choice(["capeb-artisans", "federation-artisans-bois"]),
            }
            headers = {
                key: render(value, variant, values, date)
                for key, value in dict(family.get("headers", {})).items()  # type: ignore[arg-type]
            }
            records.append(
                {
                    "id": f"{family_id}{'ab'[variant]}",
                    "family": family_id,
                    "split": split,
                    "label": label,
                    "from": render(str(family["from"]), variant, values, date),
                    "subject": render(str(family["subject"]), variant, values, date),
                    "date": date.isoformat(),
                    "headers": headers,
                    "body": render(str(family["body"]), variant, values, date),
                }
            )
    return records


def main() -> None:
    records = build()
    with OUT.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        key = (str(record["split"]), str(record["label"]))
        counts[key] = counts.get(key, 0) + 1
    print(f"{len(records)} e-mails écrits dans {OUT}")
    for key in sorted(counts):
        print(key, counts[key])


if __name__ == "__main__":
    main()
