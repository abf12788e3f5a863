"""Realistic French documents, written for these tests as a PDF text layer or OCR would return them.

They are not drawn from the synthetic generator: other wordings, other layouts, real-life details
(an EDF bill, a plumber's invoice, a Crédit Agricole statement, an URSSAF formal notice…). Names and
numbers are invented; identifiers have valid checksums where it matters.
"""

from __future__ import annotations

SUPPLIER_INVOICE_ENERGY = """EDF
Électricité de France - SA au capital de 2 084 365 041 € - 552 081 317 R.C.S. Paris
Votre facture du 14/01/2026
N° de facture : 10098765432
MENUISERIE BERTIN
12 RUE DES CHARMES 21000 DIJON
Référence client : 6 012 345 678
Vos consommations du 12/11/2025 au 11/01/2026
Point de livraison (PDL) : 21 45 67 89 01 23 45
Option Base - Puissance souscrite 12 kVA
Consommation estimée 1 842 kWh 312,40 €
Abonnement 2 mois 45,12 €
Contribution au service public de l'électricité (CSPE) 41,23 €
Total hors TVA 398,75 €
TVA à 20 % 79,75 €
Montant TTC 478,50 €
Ce montant sera prélevé le 29/01/2026 sur votre compte se terminant par 4521
Un retard de paiement entraîne des pénalités de retard et une indemnité forfaitaire de 40 €.
"""

SUPPLIER_INVOICE_PLUMBER = """SARL HYDRO SERVICES 21
Plomberie - Chauffage - Sanitaire
4 impasse du Lavoir 21800 Quetigny
Tél 03 80 46 12 12 contact@hydroservices21.fr
Dijon, le 3 février 2026
FACTURE N° 2026-0118
Doit : MENUISERIE BERTIN
12 rue des Charmes 21000 Dijon
Intervention du 28/01/2026 : remplacement ballon eau chaude atelier
Désignation Qté PU HT Total HT
Chauffe-eau électrique 150 L Atlantic 1 389,00 389,00
Groupe de sécurité 1 28,50 28,50
Main d'œuvre (heures) 3 52,00 156,00
Déplacement 1 25,00 25,00
TOTAL HT 598,50
TVA 20 % 119,70
NET A PAYER 718,20 €
Echéance : à réception
RIB : FR76 1027 8021 0000 0203 4560 165 - BIC CMCIFR2A
SIRET 812 345 678 00019 - TVA FR 40 812345678 - RCS Dijon
"""

CUSTOMER_INVOICE = """MENUISERIE BERTIN
12 rue des Charmes - 21000 Dijon
SIRET 901 234 567 00012
Facture n° FC-2026-014
Date : 05/02/2026
Client : Mme Claire Fontaine
8 allée des Peupliers 21240 Talant
Fabrication et pose d'un escalier quart tournant en chêne
Fourniture bois chêne massif 1 2 150,00 2 150,00
Pose (forfait) 1 980,00 980,00
Total HT 3 130,00 €
TVA 10 % (travaux de rénovation) 313,00 €
Total TTC 3 443,00 €
Acompte versé le 12/12/2025 - 1 000,00 €
Reste à payer 2 443,00 €
Paiement à 30 jours par virement - Pénalités de retard : 3 fois le taux d'intérêt légal
"""

CREDIT_NOTE = """POINT.P Matériaux de construction
Agence de Dijon Nord - ZI Nord 21000 Dijon
AVOIR N° AV260045
Date : 30/01/2026
Compte client : 0045 1234
MENUISERIE BERTIN
Avoir sur facture n° F2601187 du 15/01/2026
Motif : retour de marchandise non utilisée
Plaque de plâtre BA13 2,5 m -10 8,90 -89,00
Rail R48 3 m -6 4,20 -25,20
Total HT -114,20
TVA 20 % -22,84
Total TTC -137,04 €
Ce montant sera déduit de votre prochaine facture.
"""

QUOTE = """ATELIER DU CARREAU
Carrelage - Faïence - Mosaïque
17 route de Beaune 21200 Beaune
Devis n° D-2026-031
Établi le 02/02/2026
Pour : M. et Mme Lemoine, 3 chemin des Vignes 21200 Beaune
Objet : réfection de la salle de bain
Dépose de l'ancien carrelage 12 m2 18,00 216,00
Fourniture carrelage grès cérame 60x60 13 m2 34,50 448,50
Pose carrelage sol et murs 25 m2 42,00 1 050,00
Total HT 1 714,50
TVA 10 % 171,45
Total TTC 1 885,95
Devis valable 3 mois. Acompte de 30 % à la commande.
Date et signature précédées de la mention « Bon pour accord »
"""

DELIVERY_NOTE = """CEDEO DIJON
Distributeur sanitaire chauffage
BON DE LIVRAISON N° BL 4471209
Date d'expédition : 27/01/2026
Livré à : HYDRO SERVICES 21 - chantier rue Monge
Votre commande : CMD-8812 du 26/01/2026
Référence Désignation Qté commandée Qté livrée
ATL153115 Chauffe-eau 150 L vertical 1 1
WAT200010 Groupe de sécurité 3/4 2 2
PER16ROUGE Couronne PER 16 rouge 50 m 2 1
Reliquat : 1 couronne PER 16, livraison prévue le 03/02/2026
Nombre de colis : 3 - Poids : 58 kg
Transporteur : navette Cedeo
Reçu en bon état - Nom et signature du réceptionnaire :
"""

CONTRACT_SERVICE = """CONTRAT D'ENTRETIEN ANNUEL
Entre les soussignés :
La société HYDRO SERVICES 21, SARL au capital de 10 000 €, dont le siège est 4 impasse du Lavoir à
Quetigny, ci-après dénommée « le Prestataire »,
et
La société MENUISERIE BERTIN, ci-après dénommée « le Client »,
Il a été convenu ce qui suit :
Article 1 - Objet : le Prestataire assure l'entretien annuel de la chaudière gaz de l'atelier.
Article 2 - Durée : le contrat est conclu pour un an à compter du 1er mars 2026, renouvelable par
tacite reconduction.
Article 3 - Prix : 180 € HT par an, révisable chaque année.
Article 4 - Résiliation : par lettre recommandée avec un préavis de deux mois avant l'échéance.
Fait à Dijon, le 10 février 2026, en deux exemplaires.
Le Prestataire Le Client
"""

CONTRACT_EMPLOYMENT = """CONTRAT DE TRAVAIL A DUREE INDETERMINEE
Entre la société MENUISERIE BERTIN, représentée par M. Paul Bertin, gérant, d'une part,
et M. Julien Roche, demeurant 5 rue Berbisey à Dijon, d'autre part,
il a été convenu ce qui suit.
Article 1 - Engagement : M. Roche est engagé à compter du 2 mars 2026 en qualité de menuisier poseur.
Article 2 - Période d'essai : deux mois, renouvelable une fois.
Article 3 - Rémunération : salaire brut mensuel de 2 250 € pour 35 heures hebdomadaires.
Article 4 - Convention collective : bâtiment ouvriers (IDCC 1596).
Fait à Dijon le 15 février 2026
Signature de l'employeur Signature du salarié, précédée de « lu et approuvé »
"""

BANK_STATEMENT = """Crédit Agricole Champagne-Bourgogne
RELEVE DE COMPTE COURANT PROFESSIONNEL
MENUISERIE BERTIN - Compte n° 12345678901 - du 01/01/2026 au 31/01/2026
Date Date valeur Libellé Débit Crédit
Solde précédent au 31/12/2025 8 412,55
02/01 02/01 PRLV SEPA URSSAF BOURGOGNE 1 284,00
05/01 05/01 VIR SEPA RECU /DE FONTAINE CLAIRE /MOTIF ACOMPTE 1 000,00
08/01 08/01 CARTE X4521 07/01 POINT P DIJON 342,18
14/01 14/01 PRLV SEPA EDF CLIENTS PROFESSIONNELS 478,50
20/01 20/01 CHEQUE 0004512 718,20
28/01 28/01 FRAIS TENUE DE COMPTE 18,00
Total des opérations 2 840,88 1 000,00
Nouveau solde créditeur au 31/01/2026 6 571,67
"""

PAYSLIP = """BULLETIN DE PAIE
Période : janvier 2026 Paiement le 31/01/2026
Employeur : MENUISERIE BERTIN - SIRET 901 234 567 00012 - APE 1623Z
Salarié : Julien ROCHE - Emploi : Menuisier poseur - Coefficient 210
Entrée le 02/03/2025 - Convention collective nationale des ouvriers du bâtiment
Salaire de base 151,67 h 14,8346 2 250,00
Salaire brut 2 250,00
Santé 2 250,00 0,00
Retraite complémentaire Tranche 1 2 250,00 4,01 90,23
CSG déductible de l'impôt sur le revenu 2 210,63 6,80 150,32
CSG/CRDS non déductible 2 210,63 2,90 64,11
Total des retenues 488,40
Net social 1 761,60
Net à payer avant impôt sur le revenu 1 761,60
Impôt sur le revenu prélevé à la source taux 2,5 % 44,04
Net à payer 1 717,56 €
Congés payés : acquis 15,0 j - pris 0,0 j
"""

URSSAF_LETTER = """Urssaf Bourgogne
Recouvrement
Affaire suivie par : Service relation cotisants
Références à rappeler : 217 000001234567
MENUISERIE BERTIN
12 rue des Charmes
21000 DIJON
Dijon, le 22 janvier 2026
Objet : mise en demeure
Madame, Monsieur,
Sauf erreur de notre part, nous n'avons pas reçu le règlement de vos cotisations et contributions
sociales de la période de décembre 2025, soit 1 284,00 €. Nous vous mettons en demeure de régler cette
somme dans un délai d'un mois. À défaut, des majorations de retard seront appliquées.
Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.
Le directeur
"""

TAX_LETTER = """DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES
Service des impôts des entreprises de Dijon
AVIS DE COTISATION FONCIÈRE DES ENTREPRISES 2025
Numéro fiscal : 21 04 123 456 789
MENUISERIE BERTIN 12 RUE DES CHARMES 21000 DIJON
Montant à payer : 642 €
Date limite de paiement : 15/12/2025
Payez en ligne sur impots.gouv.fr, espace professionnel.
Vous pouvez contester cet avis dans les conditions prévues par la loi ; voies et délais de recours au verso.
"""

RESUME = """Camille DURAND
Menuisière agenceuse
06 12 34 56 78 - camille.durand@laposte.net - Dijon - Permis B
EXPÉRIENCES PROFESSIONNELLES
2021 - aujourd'hui Menuisière poseuse, Agencement Côte-d'Or, Chenôve
Fabrication de mobilier sur mesure, pose de cuisines et dressings
2017 - 2021 Ouvrière menuisière, Scierie du Morvan, Saulieu
FORMATION
2017 BP Menuisier - CFA du bâtiment de Dijon
2015 CAP Menuisier fabricant
COMPÉTENCES
Lecture de plans, machines-outils, logiciel TopSolid
LANGUES
Anglais : notions
CENTRES D'INTÉRÊT
Escalade, ébénisterie d'art
"""

MEETING_MINUTES = """Compte rendu de la réunion de chantier n° 4
Chantier : réhabilitation de la maison Lemoine à Beaune
Date : 6 février 2026
Présents : M. Lemoine (maître d'ouvrage), P. Bertin (menuiserie), Atelier du Carreau
Ordre du jour : avancement des lots, planning des finitions
- Menuiseries extérieures posées, reste les plinthes.
- Carrelage salle de bain prévu semaine 8.
Prochaine réunion le 13 février 2026 à 9 h sur site.
"""

#: (text, expected type, issuer_is_company as the app would pass it)
LABELLED_SAMPLES: list[tuple[str, str, str, bool | None]] = [
    ("facture EDF", SUPPLIER_INVOICE_ENERGY, "facture_fournisseur", False),
    ("facture plombier", SUPPLIER_INVOICE_PLUMBER, "facture_fournisseur", False),
    ("facture émise", CUSTOMER_INVOICE, "facture_client", True),
    ("avoir Point P", CREDIT_NOTE, "avoir", None),
    ("devis carreleur", QUOTE, "devis", None),
    ("bon de livraison", DELIVERY_NOTE, "bon_de_livraison", None),
    ("contrat d'entretien", CONTRACT_SERVICE, "contrat", None),
    ("contrat de travail", CONTRACT_EMPLOYMENT, "contrat", None),
    ("relevé de compte", BANK_STATEMENT, "releve_bancaire", None),
    ("bulletin de paie", PAYSLIP, "bulletin_de_paie", None),
    ("mise en demeure URSSAF", URSSAF_LETTER, "courrier_administratif", None),
    ("avis de CFE", TAX_LETTER, "courrier_administratif", None),
    ("CV", RESUME, "cv", None),
    ("compte rendu", MEETING_MINUTES, "autre", None),
]
