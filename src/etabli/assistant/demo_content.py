"""The demo knowledge base of Menuiserie Martin (Nantes), written for this project.

Facts are consistent with the demo dataset (address, phone, catalogue, 30 % deposit on large jobs, quiet
August); the employees' side follows the guide's examples (ch. 4.3 and 8.2: "Comment déclarer mes frais ?",
"Quelle est la procédure pour les congés ?", "Où trouver le modèle de devis ?", "Quel est le code WiFi ?").
"""

from __future__ import annotations

OPENING_HOURS = {
    "0": [["08:00", "12:00"], ["13:30", "18:00"]],
    "1": [["08:00", "12:00"], ["13:30", "18:00"]],
    "2": [["08:00", "12:00"], ["13:30", "18:00"]],
    "3": [["08:00", "12:00"], ["13:30", "18:00"]],
    "4": [["08:00", "12:00"], ["13:30", "17:30"]],
    "5": [["09:00", "12:00"]],
    "6": [],
}
HOURS_NOTE = (
    "Le samedi matin, seul le showroom est ouvert, de préférence sur rendez-vous. "
    "Nous sommes fermés les jours fériés et trois semaines en août."
)
WELCOME = "Posez votre question sur nos menuiseries, nos délais, nos devis ou une commande en cours."

#: topic → answer (the questions come from knowledge.FACT_TOPICS, plus the extra ones below).
FACTS = {
    "adresse": (
        "Notre atelier et notre showroom sont au 12 rue des Artisans, 44300 Nantes. "
        "Un parking clients est à votre disposition devant l'atelier."
    ),
    "contact": (
        "Vous pouvez nous appeler au 02 40 12 34 56 aux heures d'ouverture ou nous écrire à "
        "contact@menuiserie-martin.fr : nous répondons aux e-mails sous 48 heures ouvrées."
    ),
    "zone": (
        "Nous intervenons à Nantes et dans un rayon d'environ 40 km : Rezé, Saint-Herblain, Orvault, Vertou, "
        "Carquefou, La Chapelle-sur-Erdre, Saint-Sébastien-sur-Loire… Au-delà, nous étudions chaque projet au cas "
        "par cas : décrivez-le-nous dans une demande de devis."
    ),
    "delais": (
        "Comptez 4 à 6 semaines de fabrication après la signature du devis et le versement de l'acompte, puis la "
        "pose est planifiée dans les 2 semaines suivantes. Pour un escalier ou une cuisine sur mesure, comptez 8 à "
        "10 semaines. Nous vous confirmons la date de pose par téléphone une semaine avant."
    ),
    "livraison": (
        "Nos menuiseries sont livrées et posées par notre équipe : la livraison est comprise dans la pose. "
        "Sans pose, nous livrons dans notre zone d'intervention avec un forfait déplacement de 45 € HT, ou vous "
        "pouvez retirer votre commande à l'atelier aux heures d'ouverture."
    ),
    "paiement": (
        "Nous acceptons le virement bancaire, le chèque et la carte bancaire (à l'atelier). Pour les chantiers "
        "importants, un acompte de 30 % est demandé à la commande et le solde à la fin des travaux. Les paiements "
        "en espèces sont limités à 1 000 € par la loi."
    ),
    "retours": (
        "Nos menuiseries sont fabriquées sur mesure : une fois fabriquées, elles ne sont ni reprises ni échangées. "
        "Pour annuler une commande, contactez-nous au plus vite : tant que la fabrication n'a pas commencé, nous "
        "trouvons une solution. Un défaut constaté à la livraison est à nous signaler sous 48 heures, photos à "
        "l'appui."
    ),
    "garanties": (
        "Nos travaux de pose sont couverts par notre assurance décennale et par la garantie de bon fonctionnement "
        "de 2 ans pour les équipements (quincaillerie, serrures, crémones). Nos fabrications bénéficient en plus de "
        "la garantie légale de conformité. L'attestation d'assurance est jointe à chaque devis."
    ),
    "devis": (
        "Envoyez-nous votre projet (dimensions approximatives, photos, essence de bois souhaitée) par e-mail à "
        "contact@menuiserie-martin.fr : nous vous répondons sous 48 heures ouvrées avec une première estimation "
        "gratuite. Le devis définitif demande une visite avec prise de cotes, facturée 150 € HT et déduite de la "
        "commande si vous signez le devis. Nos devis sont valables trois mois."
    ),
}
EXTRA_FACT_QUESTIONS = {
    "horaires": ["Le showroom est-il ouvert le week-end ?", "Êtes-vous ouverts le samedi matin ?"],
    "zone": ["Intervenez-vous à Saint-Nazaire ?", "Vous venez à Rezé ?", "Travaillez-vous à Angers ?"],
    "delais": ["Quel délai pour un escalier sur mesure ?", "Combien de temps pour fabriquer des fenêtres ?"],
    "garanties": ["Avez-vous une garantie décennale ?", "Ma fenêtre est garantie combien de temps ?"],
    "devis": ["Faites-vous des devis à domicile ?", "Combien coûte la prise de cotes ?",
              "Combien de temps un devis est-il valable ?"],
}

#: (title, questions, answer) for the customers' side.
CLIENT_FAQ = [
    (
        "Entretien des menuiseries en bois",
        [
            "Comment entretenir mes fenêtres en bois ?",
            "Tous les combien faut-il refaire la lasure ?",
            "Comment nettoyer une porte en chêne ?",
            "Quel entretien pour des menuiseries bois ?",
            "Faut-il repeindre les volets en bois ?",
        ],
        ("Un bois lasuré s'entretient tous les 3 à 5 ans (léger ponçage puis nouvelle couche de lasure), un bois "
        "peint tous les 8 à 10 ans. Nettoyez à l'eau savonneuse, jamais au nettoyeur haute pression, et graissez "
        "les paumelles une fois par an."),
    ),
    (
        "Essences de bois",
        [
            "Quel bois utilisez-vous ?",
            "Travaillez-vous le chêne ?",
            "Vos bois sont-ils certifiés ?",
            "D'où vient votre bois ?",
            "Quelle essence de bois pour une fenêtre ?",
        ],
        ("Nous travaillons le chêne, le hêtre, le pin et le mélèze, issus de forêts gérées durablement "
        "(certification PEFC) et achetés à des scieries de la région."),
    ),
    (
        "Ce que nous fabriquons",
        [
            "Que fabriquez-vous ?",
            "Faites-vous des escaliers ?",
            "Faites-vous des cuisines sur mesure ?",
            "Posez-vous des fenêtres en PVC ?",
            "Faites-vous des dressings et des placards ?",
            "Fabriquez-vous des bibliothèques ?",
        ],
        ("Nous fabriquons et posons des fenêtres et portes en bois ou bois-aluminium sur mesure, des escaliers, "
        "placards, dressings et bibliothèques, des agencements de cuisine, du parquet et des volets. Nous ne "
        "posons pas de menuiseries en PVC."),
    ),
    (
        "Rendez-vous au showroom",
        [
            "Puis-je prendre rendez-vous ?",
            "Faut-il prendre rendez-vous pour venir au showroom ?",
            "Je voudrais voir vos modèles de portes",
            "Peut-on visiter votre showroom ?",
        ],
        ("Vous pouvez visiter le showroom aux heures d'ouverture. Pour un conseil personnalisé, prenez rendez-vous "
        "au 02 40 12 34 56 ou à contact@menuiserie-martin.fr ; le samedi matin est réservé aux rendez-vous."),
    ),
    (
        "Réparations et dépannage",
        [
            "Faites-vous des réparations ?",
            "Ma fenêtre ferme mal, pouvez-vous venir ?",
            "Combien coûte une intervention de réparation ?",
            "Réparez-vous les vieilles fenêtres ?",
            "Ma porte frotte, pouvez-vous la régler ?",
        ],
        ("Oui, nous réparons les menuiseries en bois (fenêtres qui ferment mal, portes qui frottent, serrures) : "
        "48 € HT de l'heure, plus le forfait déplacement de 45 € HT. Appelez-nous au 02 40 12 34 56 pour fixer "
        "un rendez-vous."),
    ),
    (
        "Pose de menuiseries achetées ailleurs",
        [
            "Posez-vous des fenêtres achetées ailleurs ?",
            "J'ai acheté une porte, pouvez-vous la poser ?",
            "Faites-vous la pose seule ?",
            "Pouvez-vous installer une fenêtre que je fournis ?",
        ],
        ("Nous ne posons que les menuiseries que nous fabriquons ou fournissons : notre assurance décennale ne peut "
        "pas couvrir un produit dont nous ne maîtrisons pas la fabrication."),
    ),
    (
        "TVA à taux réduit",
        [
            "Quel taux de TVA appliquez-vous ?",
            "Puis-je bénéficier de la TVA à 5,5 % ?",
            "La TVA est-elle réduite pour une rénovation ?",
            "TVA à 10 % pour des travaux chez moi ?",
        ],
        ("Pour des travaux dans un logement achevé depuis plus de 2 ans, la TVA est à 10 %, et à 5,5 % pour les "
        "travaux d'amélioration énergétique comme le remplacement de fenêtres isolantes. Vous signez alors une "
        "attestation que nous joignons au devis."),
    ),
    (
        "Duplicata de facture",
        [
            "J'ai perdu ma facture",
            "Pouvez-vous me renvoyer ma facture ?",
            "Comment obtenir un duplicata de facture ?",
            "Je n'ai pas reçu ma facture par e-mail",
        ],
        ("Écrivez-nous à contact@menuiserie-martin.fr en indiquant le numéro de la facture ou du devis : nous vous "
        "renvoyons un duplicata au format PDF."),
    ),
    (
        "Recrutement et apprentissage",
        [
            "Recrutez-vous ?",
            "Prenez-vous des apprentis ?",
            "Je cherche un stage en menuiserie",
            "Comment postuler chez vous ?",
        ],
        ("Nous accueillons chaque année un apprenti menuisier et recrutons des poseurs selon notre activité. "
        "Envoyez votre CV et quelques mots sur votre projet à contact@menuiserie-martin.fr."),
    ),
]

#: (title, questions, answer) for the employees' side (guide ch. 4.3 and 8.2).
TEAM_FAQ = [
    (
        "Déclarer ses frais",
        [
            "Comment déclarer mes frais ?",
            "Comment me faire rembourser une note de frais ?",
            "Où est le modèle de note de frais ?",
            "J'ai payé de l'essence, comment être remboursé ?",
            "Quand sont remboursés les frais ?",
        ],
        ("Remplissez la note de frais du mois (modèle « Note de frais » dans le dossier partagé Administratif › RH) "
        "et remettez-la à Sophie avant le 5 du mois suivant, avec les justificatifs au nom de la Menuiserie "
        "Martin. Les repas de chantier sont remboursés jusqu'à 15 € sur justificatif. Le remboursement est versé "
        "avec la paie du mois."),
    ),
    (
        "Poser des congés",
        [
            "Quelle est la procédure pour les congés ?",
            "Comment poser mes congés ?",
            "Comment déclarer mes congés ?",
            "Combien de temps à l'avance demander des vacances ?",
            "Où voir mon solde de congés ?",
        ],
        ("Demandez vos congés au moins un mois à l'avance (deux mois pour l'été) avec le formulaire de demande "
        "d'absence, à remettre à Sophie ; Pierre les valide sous une semaine. L'atelier ferme trois semaines en "
        "août, prises sur les congés payés. Votre solde figure sur votre bulletin de paie."),
    ),
    (
        "Arrêt maladie",
        [
            "Je suis malade, que dois-je faire ?",
            "Comment envoyer mon arrêt de travail ?",
            "Procédure en cas d'arrêt maladie",
            "Je ne peux pas venir aujourd'hui",
        ],
        ("Prévenez Sophie ou Pierre par téléphone le jour même, avant 9 h, puis envoyez l'arrêt de travail à "
        "l'entreprise sous 48 heures (et les volets destinés à la CPAM)."),
    ),
    (
        "Bulletin de paie",
        [
            "Où trouver ma fiche de paie ?",
            "Quand est versé le salaire ?",
            "Je n'ai pas reçu mon bulletin de salaire",
            "Où sont mes fiches de paie ?",
        ],
        ("Les bulletins de paie sont envoyés par e-mail le dernier jour ouvré du mois, le jour du virement du "
        "salaire. Sophie peut vous en redonner une copie."),
    ),
    (
        "Code WiFi",
        ["Quel est le code WiFi ?", "Mot de passe du WiFi", "Comment me connecter au WiFi de l'atelier ?"],
        ("Le réseau de l'atelier s'appelle « Atelier-Martin ». Son mot de passe est affiché dans le bureau de "
        "Sophie : l'assistant ne le donne pas par écrit."),
    ),
    (
        "Modèle de devis",
        [
            "Où trouver le modèle de devis ?",
            "Comment faire un devis ?",
            "Quel modèle utiliser pour un devis client ?",
            "Je dois préparer un devis",
        ],
        ("Les devis se font dans Établi, module Facturation, bouton « Nouveau devis » : les mentions obligatoires et "
        "nos conditions y sont ajoutées automatiquement. N'utilisez plus les anciens modèles Word."),
    ),
    (
        "Équipements de protection",
        [
            "Quels équipements de protection porter à l'atelier ?",
            "Où trouver des bouchons d'oreille ?",
            "Mes chaussures de sécurité sont usées",
            "Faut-il un masque pour poncer ?",
        ],
        ("À l'atelier, lunettes, protections auditives et chaussures de sécurité sont obligatoires ; un masque FFP2 "
        "pour le ponçage. Les équipements sont fournis : demandez un remplacement à Karim."),
    ),
    (
        "Véhicules de l'entreprise",
        [
            "Comment réserver le camion ?",
            "Puis-je prendre le véhicule de l'entreprise ?",
            "Où est la carte carburant ?",
            "Que faire si je reçois une amende avec le camion ?",
        ],
        ("Réservez le véhicule sur le planning du bureau et remplissez le carnet de bord à chaque trajet. Le plein "
        "se fait avec la carte carburant rangée dans la boîte à gants. En cas d'amende, l'entreprise doit désigner "
        "le conducteur."),
    ),
    (
        "Heures supplémentaires",
        [
            "Comment sont payées les heures supplémentaires ?",
            "Où noter mes heures supplémentaires ?",
            "J'ai fait des heures en plus cette semaine",
        ],
        ("Notez vos heures sur la feuille d'heures hebdomadaire ; Pierre les valide chaque vendredi. Elles sont "
        "payées avec le salaire du mois, majorées de 25 % de la 36e à la 43e heure et de 50 % au-delà."),
    ),
    (
        "Planning des chantiers",
        ["Où voir le planning des chantiers ?", "Sur quel chantier suis-je la semaine prochaine ?",
         "Quand est envoyé le planning ?"],
        "Le planning de la semaine suivante est affiché à l'atelier et envoyé par Sophie le vendredi midi.",
    ),
]

TEAM_HANDBOOK_TITLE = "Livret d'accueil de la Menuiserie Martin"
TEAM_HANDBOOK = """# Bienvenue

Bienvenue dans l'équipe de la Menuiserie Martin ! Ce livret rassemble les règles de la maison. Pour toute
question, Sophie (assistante de gestion) et Pierre (gérant) sont là.

# Horaires de travail

L'atelier fonctionne du lundi au jeudi de 7 h 30 à 12 h et de 13 h à 16 h 30, le vendredi jusqu'à 15 h 30.
Sur les chantiers, l'horaire est celui du client, dans la limite de 10 heures de travail par jour.
Un retard se signale à Karim, chef d'atelier, avant l'heure prévue.

# Sécurité à l'atelier

## Machines

Personne n'utilise la scie à format, la dégauchisseuse ou la toupie sans avoir été formé par Karim.
Les protecteurs restent en place ; l'aspiration est mise en route avant la machine.
Un apprenti n'utilise une machine dangereuse qu'avec l'autorisation écrite de Pierre.

## En cas d'accident

Mettez la personne en sécurité, appelez le 15 ou le 112, puis prévenez Pierre. La trousse de secours est à
côté de la porte de l'atelier, le défibrillateur dans le bureau. Tout accident, même léger, est noté dans le
registre d'infirmerie.

# Notes de frais

## Ce qui est remboursé

Les repas pris sur un chantier éloigné (jusqu'à 15 € sur justificatif), le carburant d'un véhicule personnel
utilisé avec l'accord de Pierre (barème kilométrique), les petites fournitures achetées en urgence.

## Justificatifs

Chaque dépense a son justificatif : ticket de caisse ou facture au nom de la Menuiserie Martin. Une dépense sans
justificatif n'est pas remboursée. Photographiez les tickets le jour même, ils s'effacent.

# Congés et absences

Les congés se demandent un mois à l'avance, deux mois pour l'été. La fermeture d'août compte pour trois
semaines de congés payés. Une absence imprévue se signale avant 9 h à Sophie.

# Chez les clients

On protège les sols avec des bâches avant de commencer, on nettoie le chantier chaque soir et on emporte les
déchets. À la fin de la pose, on fait signer le procès-verbal de réception et on note les réserves éventuelles.
On ne fume pas chez les clients.

# Déchets et chutes

Le bois brut va dans la benne verte, le bois traité ou peint dans la benne grise, les métaux dans le bac
métal. La sciure est ensachée en big bag. Rien n'est brûlé à l'atelier.
"""

CLIENT_TERMS_TITLE = "Conditions générales de vente"
CLIENT_TERMS = """# Article 1 — Devis

Nos devis sont valables trois mois à compter de leur date. Le prix est ferme pendant cette durée, sauf
modification du projet à la demande du client.

# Article 2 — Commande et acompte

La commande est ferme à la signature du devis. Pour les travaux de plus de 3 000 € HT, un acompte de 30 % est
versé à la commande ; le solde est dû à la réception des travaux.

# Article 3 — Délais

Les délais de fabrication et de pose sont donnés à titre indicatif sur le devis ; ils courent à partir du
versement de l'acompte et de la validation des cotes.

# Article 4 — Paiement

Nos factures sont payables à réception pour les particuliers et à 30 jours pour les professionnels. Tout retard
entraîne des pénalités au taux de trois fois le taux d'intérêt légal et, pour les professionnels, une
indemnité forfaitaire de 40 € pour frais de recouvrement.

# Article 5 — Réserve de propriété

Les menuiseries restent notre propriété jusqu'au paiement complet du prix.

# Article 6 — Réclamations et médiation

Une réclamation se fait par écrit à contact@menuiserie-martin.fr. En cas de désaccord persistant, le client
particulier peut saisir gratuitement le médiateur de la consommation dont les coordonnées figurent sur le devis.
"""

#: Messages of the demo history: (days ago, hour, audience, messages of the visitor, thumbs on the last answer).
#: Run through the real assistant when the demo is loaded, so the measures are those of the real engine.
HISTORY = [
    (29, "09:12", "clients", ["Êtes-vous ouverts le samedi ?"], 1),
    (29, "21:40", "clients", ["Quels sont vos délais pour des fenêtres sur mesure ?"], 1),
    (28, "08:05", "clients", ["Acceptez-vous les chèques ?"], None),
    (28, "18:47", "clients", ["Intervenez-vous à Saint-Nazaire ?"], 1),
    (27, "10:30", "clients", ["Combien coûte une porte d'entrée en chêne ?"], 1),
    (27, "22:15", "clients", ["Le devis est-il gratuit ?"], None),
    (26, "07:55", "equipe", ["Comment déclarer mes frais ?"], 1),
    (26, "14:20", "clients", ["Faites-vous des terrasses en bois ?"], None),
    (25, "11:02", "clients", ["Je veux parler à quelqu'un, c'est urgent"], None),
    (25, "19:30", "clients", ["Comment entretenir mes fenêtres en bois ?"], 1),
    (24, "09:45", "equipe", ["Quelle est la procédure pour les congés ?"], 1),
    (24, "16:10", "clients", ["Faites-vous des escaliers ?"], 1),
    (23, "20:05", "clients", ["Quels moyens de paiement acceptez-vous ?"], 1),
    (22, "12:40", "clients", ["Vos fenêtres sont garanties combien de temps ?"], 1),
    (21, "08:30", "clients", ["Posez-vous des velux ?"], None),
    (21, "17:55", "clients", ["Ma porte d'entrée ne ferme plus et je ne peux pas partir de chez moi, c'est grave"],
     None),
    (20, "10:00", "equipe", ["Où trouver le modèle de devis ?"], 1),
    (19, "23:10", "clients", ["Livrez-vous sans la pose ?"], 1),
    (18, "09:20", "clients", ["Quelle est votre adresse ?"], 1),
    (17, "15:35", "clients", ["Faites-vous des terrasses en bois ?"], None),
    (16, "11:11", "equipe", ["Quel est le code WiFi ?"], -1),
    (15, "18:20", "clients", ["Je suis très mécontent, la pose a laissé des rayures partout"], None),
    (14, "08:45", "clients", ["Combien coûte une fenêtre ?"], None),
    (13, "21:00", "clients", ["Travaillez-vous le chêne ?"], 1),
    (12, "14:05", "clients", ["Quel est le délai pour un escalier ?"], 1),
    (11, "10:25", "equipe", ["Comment me faire rembourser l'essence ?"], 1),
    (10, "19:40", "clients", ["Avez-vous une garantie décennale ?"], 1),
    (9, "09:00", "clients", ["Posez-vous des velux ?"], None),
    (8, "13:15", "clients", ["Puis-je retourner une porte intérieure ?"], -1),
    (7, "20:50", "clients", ["Acceptez-vous la carte bancaire ?"], 1),
    (6, "08:10", "equipe", ["Je ne peux pas venir aujourd'hui, je suis malade"], 1),
    (5, "16:45", "clients", ["Faites-vous des devis à domicile ?"], 1),
    (4, "22:30", "clients", ["Êtes-vous ouverts le dimanche ?"], 1),
    (3, "11:20", "clients", ["Quelle est la durée de validité d'un devis ?"], 1),
    (2, "09:35", "clients", ["Combien coûte la prise de cotes ?"], 1),
    (1, "18:05", "clients", ["Ma commande n'est pas arrivée et c'était pour l'anniversaire de ma fille"], None),
    (0, "07:40", "clients", ["Bonjour, je voudrais parler à un conseiller pour un projet de cuisine"], None),
]
#: Hand-overs of the history that a person already handled (the others stay in the inbox): (days ago, reply).
HANDLED = {
    25: "Bonjour, Sophie de la Menuiserie Martin. Je vous rappelle dans 5 minutes au numéro de votre devis.",
    21: "Bonjour, ici Pierre. Yann passe chez vous avant 19 h pour sécuriser la porte.",
    15: "Bonjour, je suis désolée pour ces rayures. Karim viendra les constater jeudi et nous les reprendrons.",
}
