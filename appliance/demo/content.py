"""What the demo estate contains: places, households, staff, news, works and reports.

All of it is fictitious; the words are those tenants and staff use in a French estate.
"""

RESIDENCE = {
    "name": "Résidence Les Micocouliers",
    "district": "Quartier de la Viste",
    "city": "Marseille",
}

BUILDINGS = {
    "A": {
        "name": "Bâtiment A",
        "address": "12 avenue des Micocouliers, 13015 Marseille",
        "staircases": ["1", "2"],
        "floors": 6,
        "doors_per_floor": 4,
    },
    "B": {
        "name": "Bâtiment B",
        "address": "14 avenue des Micocouliers, 13015 Marseille",
        "staircases": ["1"],
        "floors": 5,
        "doors_per_floor": 4,
    },
}

# Dwellings whose households have already activated their code: (name, language).
HOUSEHOLDS = {
    "A1-001": [("Odette", "fr")],
    "A1-102": [("Karim", "fr"), ("Yasmine", "ar")],
    "A1-301": [("Fatima", "ar")],
    "A2-201": [("Jean-Pierre", "fr")],
    "A2-502": [("Sofia", "en")],
    "B1-103": [("Mireille", "fr")],
    "B1-204": [("Nordine", "fr")],
    "B1-401": [("Aïcha", "ar")],
}

# When the demo is a whole estate, each building has its box; everyone but the caretakers
# works in the hub's console. The landlord's agent and the operator also have an account
# on each box: dwellings and access codes are managed where tenants sign in, since codes
# are sealed with the box's own secret.
BOXES = {
    "A": {"id": "micocouliers-a", "label": "Box du bâtiment A", "folder": "box-a"},
    "B": {"id": "micocouliers-b", "label": "Box du bâtiment B", "folder": "box-b"},
}
STAFF_ON_BOXES = frozenset({"caretaker", "mediator"})
STAFF_ALSO_ON_BOXES = frozenset({"landlord_agent", "operator"})

PUBLISHERS = {
    "committee": ("Comité de quartier de la Viste", "neighbourhood"),
    "association": ("Association Les Jardins partagés", "neighbourhood"),
    "town_hall": ("Mairie des 15e et 16e arrondissements", "town_hall"),
    "city": ("Ville de Marseille", "city"),
    "landlord": ("Habitat Méditerranée", "landlord"),
    "bakery": ("Boulangerie du Marché", "shop"),
}

# (username, name, role, publisher, buildings)
STAFF = [
    ("agent", "Nadia Benali", "landlord_agent", "landlord", ["A", "B"]),
    ("gardien.a", "Marc Rossi", "caretaker", None, ["A"]),
    ("gardienne.b", "Samia Haddad", "caretaker", None, ["B"]),
    ("mairie", "Service vie des quartiers", "publisher", "town_hall", ["A", "B"]),
    ("comite", "Lucien Martin", "publisher", "committee", ["A", "B"]),
    ("commerce", "Boulangerie du Marché", "merchant", "bakery", ["A", "B"]),
    ("mediatrice", "Leïla Mansouri", "mediator", None, ["A", "B"]),
    ("operateur", "Équipe technique", "operator", None, []),
]

# Who tenants can turn to in each building: (staff username, building, role, place,
# opening hours, phone), written by that member as on the contacts page.
CONTACTS = [
    (
        "gardien.a",
        "A",
        "caretaker",
        "Loge du gardien, hall du bâtiment A",
        "Du lundi au vendredi, de 8 h à 12 h et de 14 h à 17 h.",
        "04 91 00 12 34",
    ),
    (
        "gardienne.b",
        "B",
        "caretaker",
        "Loge de la gardienne, hall du bâtiment B",
        "Du lundi au vendredi, de 7 h 30 à 12 h.",
        "04 91 00 56 78",
    ),
    (
        "mediatrice",
        "A",
        "mediator",
        "Salle commune, rez-de-chaussée du bâtiment A",
        "Le mardi et le jeudi, de 14 h à 17 h. Sans rendez-vous.",
        "06 12 34 56 78",
    ),
    (
        "mediatrice",
        "B",
        "mediator",
        "Salle commune, rez-de-chaussée du bâtiment A",
        "Le mardi et le jeudi, de 14 h à 17 h. Sans rendez-vous.",
        "06 12 34 56 78",
    ),
]

# (publisher, scope, published days ago, lasts days or None, title, body)
NEWS = [
    (
        "town_hall",
        "district",
        1,
        20,
        "Permanence de l'écrivain public",
        "Un écrivain public vous aide pour vos courriers et vos démarches.\n"
        "Chaque mardi de 9 h à 12 h, à la mairie de secteur. C'est gratuit, sans rendez-vous.",
    ),
    (
        "committee",
        "residence",
        2,
        14,
        "Fête des voisins samedi 12",
        "Le comité organise la fête des voisins sur la place de la résidence.\n"
        "Apportez un plat à partager. Musique, jeux pour les enfants. À partir de 18 h.",
    ),
    (
        "landlord",
        "building:A",
        3,
        30,
        "Nouveau gardien au bâtiment A",
        "Marc Rossi est votre nouveau gardien. Sa loge est ouverte du lundi au vendredi, "
        "de 8 h à 11 h et de 15 h à 17 h.",
    ),
    (
        "city",
        "city",
        4,
        40,
        "Plan grand froid : un numéro pour les personnes isolées",
        "Si vous êtes âgé ou isolé, la Ville peut vous appeler régulièrement cet hiver.\n"
        "Inscrivez-vous au registre auprès de votre mairie de secteur.",
    ),
    (
        "association",
        "residence",
        5,
        25,
        "Jardin partagé : venez planter les bulbes",
        "Le jardin au pied du bâtiment B accueille tout le monde le mercredi après-midi.\n"
        "Pas besoin de savoir jardiner : on apprend ensemble.",
    ),
    (
        "landlord",
        "residence",
        6,
        60,
        "Rappel : tri des encombrants",
        "Les encombrants se déposent le premier lundi du mois, devant le local poubelles. "
        "Ne les laissez pas dans les halls : ils gênent les secours.",
    ),
    (
        "town_hall",
        "district",
        8,
        30,
        "Inscriptions à l'aide aux devoirs",
        "Le centre social propose une aide aux devoirs du CP à la 3e, "
        "les lundis et jeudis de 16 h 30 à 18 h.",
    ),
    (
        "landlord",
        "building:B",
        9,
        45,
        "Relevé des compteurs d'eau",
        "Un technicien relèvera les compteurs d'eau du bâtiment B. "
        "Vous recevrez un avis de passage dans votre boîte aux lettres.",
    ),
    (
        "city",
        "city",
        40,
        10,
        "Collecte des sapins (terminée)",
        "Cette information a expiré et ne doit plus apparaître.",
    ),
]

# (building, what, where, starts in days, lasts days, what tenants must do)
# (publisher, scope as in NEWS, title, where, starts in days, lasts days, what to do).
# Versions in other languages of some of the texts above, by their French title: the
# others show in French, with a note that they are not yet translated.
VERSIONS = {
    "Fête des voisins samedi 12": {
        "ar": {
            "title": "حفلة الجيران يوم السبت 12",
            "body": "تنظم اللجنة حفلة الجيران في ساحة الحي.\n"
            "أحضروا طبقًا للمشاركة. موسيقى وألعاب للأطفال. ابتداءً من الساعة 18.",
        },
        "en": {
            "title": "Neighbours' party on Saturday 12",
            "body": "The committee holds the neighbours' party on the square of the residence.\n"
            "Bring a dish to share. Music, games for the children. From 6 pm.",
        },
    },
    "Remplacement de l'ascenseur": {
        "ar": {
            "title": "تغيير المصعد",
            "location": "الدرج 1، كل الطوابق",
            "tenant_action": "المصعد متوقف. يمكن لمن يصعب عليهم المشي الاتصال بحارس العمارة: "
            "يُنظَّم حمل المشتريات.",
        },
    },
}

WORKS = [
    (
        "landlord",
        "building:A",
        "Remplacement de l'ascenseur",
        "Escalier 1, tous les étages",
        -2,
        20,
        "L'ascenseur est arrêté. Les personnes qui ont du mal à marcher peuvent appeler "
        "le gardien : un portage des courses est organisé.",
    ),
    (
        "landlord",
        "building:A",
        "Coupure d'eau chaude",
        "Tout le bâtiment",
        3,
        0,
        "Ne lancez pas de machine à laver entre 9 h et 13 h.",
    ),
    (
        "landlord",
        "building:B",
        "Peinture de la cage d'escalier",
        "Escalier 1",
        7,
        10,
        "Ne touchez pas les murs fraîchement peints. Aérez les paliers.",
    ),
    ("landlord", "building:B", "Ravalement terminé", "Façade sud", -40, 10, ""),
    (
        "landlord",
        "residence",
        "Entretien des espaces verts",
        "Jardins et aire de jeux",
        5,
        2,
        "L'aire de jeux sera fermée pendant les travaux.",
    ),
    (
        "town_hall",
        "district",
        "Réfection de la chaussée",
        "Avenue de la Viste, devant l'arrêt de bus",
        10,
        14,
        "Le bus 35 s'arrête provisoirement 100 mètres plus loin.",
    ),
]

# (dwelling, category, place, description, moves: (status, message, in days, duplicate of)).
# A report is a duplicate of another of this list, given by its position: reports are
# numbered per box, so the number depends on which box files it.
REPORTS = [
    ("A1-001", "lift", "lift", "L'ascenseur de l'escalier 1 est en panne depuis ce matin.", []),
    (
        "A1-102",
        "heating_water",
        "dwelling",
        "Le radiateur de la chambre reste froid.",
        [
            (
                "acknowledged",
                "Nous avons bien reçu votre signalement. Un technicien va vous appeler.",
                None,
                None,
            )
        ],
    ),
    (
        "A1-301",
        "damage",
        "staircase",
        "La rampe de l'escalier est descellée au 2e étage.",
        [
            ("acknowledged", "", None, None),
            ("scheduled", "Le serrurier passera le matin.", 4, None),
        ],
    ),
    (
        "A2-201",
        "cleanliness",
        "hall",
        "Le hall d'entrée n'a pas été nettoyé cette semaine.",
        [("resolved", "Le nettoyage a été fait ce matin. Merci de votre signalement.", None, None)],
    ),
    (
        "A2-502",
        "pests",
        "dwelling",
        "Il y a des cafards dans la cuisine.",
        [
            ("acknowledged", "", None, None),
            ("scheduled", "Le désinsectiseur passera dans tout l'escalier.", 2, None),
        ],
    ),
    (
        "B1-103",
        "noise",
        "car_park",
        "Des scooters font du bruit tard le soir sur le parking.",
        [
            (
                "not_responsible",
                "Le bruit sur la voie publique relève de la police municipale : "
                "appelez le 17 ou la mairie.",
                None,
                None,
            )
        ],
    ),
    (
        "B1-204",
        "safety",
        "hall",
        "La porte du hall ne ferme plus à clé.",
        [("resolved", "La serrure a été changée.", None, None), ("closed", "", None, None)],
    ),
    (
        "A1-102",
        "lift",
        "lift",
        "L'ascenseur est bloqué au 3e étage.",
        [("duplicate", "Cette panne est déjà suivie dans le signalement n° BA-1.", None, 0)],
    ),
    ("B1-401", "cleanliness", "outside", "Des sacs poubelles sont laissés devant l'entrée.", []),
]

# How many days ago each report above was filed, in the same order, so that the agents'
# filters by age have something to show.
REPORT_AGES_DAYS = [0, 3, 9, 12, 20, 35, 45, 2, 1]

# (dwelling saying "me too", position of the report in REPORTS)
ME_TOO = [("A1-301", 0), ("A2-201", 0), ("B1-103", 8)]

# Noticeboard: (home, category, scope, days ago, title, text, answers as (home, text)).
POSTS = [
    (
        "A1-001",
        "recipes",
        "building",
        2,
        "Ma soupe au pistou",
        "Pour 6 : haricots blancs et rouges, courgettes, pommes de terre, une poignée de "
        "pâtes.\nLe pistou : ail, basilic, huile d'olive, parmesan. Je peux vous montrer "
        "samedi si vous voulez.",
        [("A1-102", "Merci Odette ! Je viens samedi avec Yasmine."), ("A1-301", "شكرا جزيلا")],
    ),
    (
        "A2-201",
        "mutual_help",
        "building",
        1,
        "Qui peut m'aider à monter un meuble ?",
        "J'ai une armoire à monter au 2e étage, escalier 2. Une heure de travail, je "
        "prépare le café.",
        [("A1-102", "Je peux dimanche matin.")],
    ),
    (
        "A1-301",
        "giving",
        "building",
        4,
        "Je donne des vêtements d'enfant",
        "Taille 2 à 4 ans, propres et en bon état. Passez me voir ou écrivez-moi.",
        [],
    ),
    (
        "B1-103",
        "parties",
        "residence",
        3,
        "Fête des voisins le 20",
        "Rendez-vous dans la cour entre les deux bâtiments, à partir de 18 h. Chacun "
        "apporte un plat ou une boisson. Les enfants sont les bienvenus !",
        [("B1-204", "Je m'occupe de la musique.")],
    ),
    (
        "B1-401",
        "lost_found",
        "building",
        0,
        "Clés trouvées dans le hall",
        "Un trousseau avec un porte-clés bleu, trouvé ce matin près des boîtes aux "
        "lettres. Je l'ai laissé au gardien.",
        [],
    ),
]

# Skills exchange: (home, offer or request, category, title, text).
SKILLS = [
    (
        "A2-502",
        "offer",
        "language",
        "Conversation in English",
        "Every Wednesday after 6 pm, for children or adults who want to practise.",
    ),
    (
        "A1-001",
        "request",
        "computer",
        "Aide pour mon téléphone",
        "Je voudrais apprendre à envoyer des photos à mes petits-enfants.",
    ),
    (
        "A1-102",
        "offer",
        "diy",
        "Petits travaux de bricolage",
        "Étagères, tringles, joints : je peux aider le week-end.",
    ),
    (
        "B1-204",
        "offer",
        "homework",
        "Aide aux devoirs (collège)",
        "Maths et français, le mardi et le jeudi après 17 h.",
    ),
    (
        "B1-103",
        "request",
        "shopping",
        "Courses du samedi",
        "Je marche mal : quelqu'un pourrait-il me rapporter le pain et le journal ?",
    ),
]

# Events: (home, scope, in days, at hour, lasting hours, title, place, text, places).
EVENTS = [
    (
        "A1-001",
        "building",
        5,
        15,
        2,
        "Goûter des voisins",
        "Hall du bâtiment A",
        "Chacun apporte un gâteau ou une boisson.",
        None,
    ),
    (
        "B1-103",
        "residence",
        14,
        18,
        4,
        "Fête des voisins",
        "La cour entre les deux bâtiments",
        "Musique, grillades et jeux pour les enfants.",
        80,
    ),
    (
        "A1-102",
        "residence",
        9,
        10,
        2,
        "Atelier réparation de vélos",
        "Local vélos du bâtiment A",
        "Apportez votre vélo, on répare ensemble.",
        12,
    ),
]

# The digital mediator's first-steps sessions, in each of their buildings for its tenants:
# (username, scope, in days, hour, hours, title, place, text, places or None, held also
# by video). An hour of None: a drop-in starting a few minutes after the demo starts, so
# that its video room is open at once.
SESSIONS = [
    (
        "mediatrice",
        "building",
        0,
        None,
        3,
        "Permanence numérique, aussi en vidéo",
        "Salle commune",
        "Une question sur le portail ou sur votre téléphone ? Passez à la salle commune, "
        "ou entrez dans le salon vidéo depuis chez vous.",
        None,
        True,
    ),
    (
        "mediatrice",
        "building",
        2,
        14,
        2,
        "Premiers pas sur le portail",
        "Salle commune",
        "Venez avec votre téléphone : on apprend ensemble à lire les actualités et à "
        "signaler un problème.",
        6,
        False,
    ),
    (
        "mediatrice",
        "building",
        8,
        10,
        2,
        "Appeler sa famille en vidéo",
        "Salle commune",
        "Pour voir ses proches sur l'écran du téléphone ou de la télévision.",
        None,
        True,
    ),
]

# Where each building's lobby screen hangs.
LOBBY = "Hall d'entrée"

# Local deals: (shop, title, text, starts in days, lasts days).
DEALS = [
    (
        "bakery",
        "Une baguette offerte le lundi",
        "Pour deux baguettes achetées, la troisième est offerte, tous les lundis, sur "
        "présentation du portail.",
        -3,
        30,
    ),
    (
        "bakery",
        "Galette des rois à -20 %",
        "Du 2 au 10 janvier, pour les habitants de la résidence.",
        20,
        8,
    ),
]

# Partners' services: (name, category, what they do, address, phone, hours, scope).
PARTNERS = [
    (
        "Caisse d'allocations familiales, accueil de Saint-Louis",
        "family",
        "Vos droits aux allocations : logement, famille, prime d'activité. On vous aide à "
        "remplir les formulaires.",
        "2 rue de la Caisse, 13015 Marseille",
        "32 30",
        "Du lundi au vendredi, 8 h 30 – 12 h",
        "district",
    ),
    (
        "Centre social de la Viste",
        "social",
        "Aide aux démarches, écrivain public, soutien scolaire, sorties familles.",
        "38 avenue de la Viste, 13015 Marseille",
        "04 91 00 00 00",
        "Du mardi au samedi, 9 h – 18 h",
        "district",
    ),
    (
        "Permanence numérique de la bibliothèque",
        "digital",
        "Un conseiller vous aide avec votre téléphone, votre ordinateur et les démarches en ligne.",
        "Bibliothèque du Merlan, 13014 Marseille",
        "",
        "Mercredi et samedi, 14 h – 17 h",
        "city",
    ),
    (
        "Maison de santé des quartiers nord",
        "health",
        "Médecins généralistes, infirmières, sages-femmes. Consultations sans rendez-vous "
        "le matin.",
        "12 boulevard Henri Barnier, 13015 Marseille",
        "04 91 00 00 01",
        "Du lundi au samedi, 8 h – 19 h",
        "district",
    ),
]
