"""What the demo territory looks like: its sites, opening hours, rooms and departments.

Plain tables read by :mod:`regie.demo.territory`; names of places and jobs are in French
because they are data shown to French users, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regie.directory.models import SiteKind

HOURS: dict[str, tuple[str, ...]] = {
    SiteKind.HEAD_OFFICE: ("08:30-12:30, 13:30-17:30",) * 4 + ("08:30-12:30, 13:30-17:00", "", ""),
    SiteKind.FRANCE_SERVICES: (
        "09:00-12:30, 13:30-17:00",
        "09:00-12:30, 13:30-17:00",
        "09:00-12:30",
        "09:00-12:30, 13:30-17:00",
        "09:00-12:30, 13:30-16:30",
        "09:00-12:00",
        "",
    ),
    SiteKind.SCHOOL: ("08:30-12:00, 13:30-16:30",) * 2
    + ("08:30-11:30",)
    + ("08:30-12:00, 13:30-16:30",) * 2
    + ("", ""),
    SiteKind.MEDIA_LIBRARY: (
        "",
        "14:00-18:00",
        "10:00-12:30, 14:00-18:00",
        "",
        "14:00-18:30",
        "10:00-12:30, 14:00-17:00",
        "",
    ),
    SiteKind.POOL: (
        "12:00-13:30, 17:00-20:00",
        "12:00-13:30, 17:00-20:00",
        "10:00-12:00, 14:00-19:00",
        "12:00-13:30, 17:00-20:00",
        "12:00-13:30, 17:00-21:00",
        "10:00-12:30, 14:00-18:00",
        "09:00-12:30",
    ),
    SiteKind.WASTE_CENTRE: (
        "14:00-17:30",
        "",
        "09:00-12:00, 14:00-17:30",
        "",
        "14:00-17:30",
        "09:00-12:00, 14:00-17:30",
        "",
    ),
    SiteKind.NURSERY: ("07:30-18:30",) * 5 + ("", ""),
    SiteKind.TECHNICAL: ("07:30-12:00, 13:00-16:30",) * 4 + ("07:30-12:00, 13:00-15:30", "", ""),
    SiteKind.OTHER: ("", *("09:30-12:30, 14:00-18:00",) * 5, ""),
}

ACCESS_NOTES: dict[str, tuple[str, ...]] = {
    SiteKind.HEAD_OFFICE: (
        "Badge à retirer à l'accueil. Salle serveur au sous-sol, clé au service informatique.",
    ),
    SiteKind.FRANCE_SERVICES: (
        "Entrée du personnel à l'arrière du bâtiment. Alarme : code chez le correspondant.",
        "Clé du local technique dans l'armoire de l'accueil.",
    ),
    SiteKind.SCHOOL: (
        "Clé à demander à la mairie. Intervenir de préférence le mercredi après-midi.",
        "Alarme : code chez le correspondant. Sonner au portail, attendre l'ouverture.",
        "Se présenter à la direction. Pas d'intervention pendant la récréation.",
    ),
    SiteKind.MEDIA_LIBRARY: (
        "Clé à demander à la mairie les jours de fermeture.",
        "Alarme : code chez le correspondant.",
    ),
    SiteKind.POOL: ("Local technique par l'entrée de service, côté parking. Bassin : chaussons.",),
    SiteKind.WASTE_CENTRE: (
        "Gardien présent aux heures d'ouverture seulement. Barrière : code chez le correspondant.",
    ),
    SiteKind.NURSERY: ("Sonner et attendre ; intervenir pendant la sieste (13h-15h) si possible.",),
    SiteKind.TECHNICAL: ("Portail fermé à 16h30. Clé du local réseau dans le bureau du chef.",),
    SiteKind.OTHER: ("Clé à demander au siège.",),
}

ROOMS: dict[str, tuple[tuple[str, str], ...]] = {
    SiteKind.HEAD_OFFICE: (
        ("Local technique", "Sous-sol"),
        ("Accueil", "RDC"),
        ("Salle du conseil", "RDC"),
        ("Bureau 101", "1er étage"),
        ("Bureau 102", "1er étage"),
        ("Bureau 103", "1er étage"),
        ("Bureau 201", "2e étage"),
        ("Bureau 202", "2e étage"),
        ("Service informatique", "2e étage"),
        ("Réserve informatique", "Sous-sol"),
    ),
    SiteKind.FRANCE_SERVICES: (
        ("Local technique", "RDC"),
        ("Accueil", "RDC"),
        ("Espace numérique", "RDC"),
        ("Bureau conseiller 1", "RDC"),
        ("Bureau conseiller 2", "RDC"),
        ("Salle de réunion", "1er étage"),
    ),
    SiteKind.SCHOOL: (
        ("Local technique", "RDC"),
        ("Bureau de direction", "RDC"),
        ("Classe 1", "RDC"),
        ("Classe 2", "RDC"),
        ("Classe 3", "RDC"),
        ("Classe 4", "1er étage"),
    ),
    SiteKind.MEDIA_LIBRARY: (
        ("Local technique", "RDC"),
        ("Banque de prêt", "RDC"),
        ("Espace multimédia", "RDC"),
        ("Bureau", "1er étage"),
    ),
    SiteKind.POOL: (("Local technique", "Sous-sol"), ("Accueil", "RDC"), ("Bureau", "RDC")),
    SiteKind.WASTE_CENTRE: (("Local gardien", "RDC"),),
    SiteKind.NURSERY: (
        ("Local technique", "RDC"),
        ("Bureau de direction", "RDC"),
        ("Salle de vie", "RDC"),
    ),
    SiteKind.TECHNICAL: (("Local technique", "RDC"), ("Atelier", "RDC"), ("Bureau", "RDC")),
    SiteKind.OTHER: (("Local technique", "RDC"), ("Accueil", "RDC")),
}

STREETS = (
    "place de la Mairie",
    "rue de l'École",
    "rue du Stade",
    "avenue de la Gare",
    "rue des Tilleuls",
    "rue du Commerce",
    "chemin des Écoliers",
    "route de Niort",
    "rue Saint-Pierre",
    "rue des Halles",
    "allée des Peupliers",
    "rue du Puits",
    "impasse des Lavandières",
    "rue de la Boutonne",
    "place du Champ de Foire",
)

# Sites as (kind, name pattern, commune). ``{de}`` becomes "de Melle" / "d'Aigondigné".
SITE_PLAN: tuple[tuple[str, str, str], ...] = (
    (SiteKind.HEAD_OFFICE, "Siège de la Communauté de communes", "Melle"),
    (SiteKind.FRANCE_SERVICES, "Maison communautaire {de}", "Celles-sur-Belle"),
    (SiteKind.FRANCE_SERVICES, "Maison communautaire {de}", "Chef-Boutonne"),
    (SiteKind.FRANCE_SERVICES, "Maison communautaire {de}", "Lezay"),
    # Sauzé-Vaussais merged into the commune nouvelle of Sauzé-entre-Bois in 2025.
    (SiteKind.FRANCE_SERVICES, "Maison France Services de Sauzé-Vaussais", "Sauzé-entre-Bois"),
    (SiteKind.SCHOOL, "École maternelle {de}", "Melle"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "Melle"),
    (SiteKind.SCHOOL, "École maternelle {de}", "Aigondigné"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "Aigondigné"),
    (SiteKind.SCHOOL, "École maternelle {de}", "Celles-sur-Belle"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "Celles-sur-Belle"),
    (SiteKind.SCHOOL, "École maternelle {de}", "Chef-Boutonne"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "Chef-Boutonne"),
    (SiteKind.SCHOOL, "École primaire {de}", "Sauzé-entre-Bois"),
    (SiteKind.SCHOOL, "École maternelle {de}", "Lezay"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "Lezay"),
    (SiteKind.SCHOOL, "École primaire {de}", "Fressines"),
    (SiteKind.SCHOOL, "École maternelle {de}", "La Mothe-Saint-Héray"),
    (SiteKind.SCHOOL, "École élémentaire {de}", "La Mothe-Saint-Héray"),
    (SiteKind.SCHOOL, "École primaire {de}", "Brioux-sur-Boutonne"),
    (SiteKind.SCHOOL, "École primaire {de}", "Périgné"),
    (SiteKind.SCHOOL, "École primaire {de}", "Beaussais-Vitré"),
    (SiteKind.SCHOOL, "École primaire {de}", "Prailles-La Couarde"),
    (SiteKind.SCHOOL, "École primaire {de}", "Alloinay"),
    (SiteKind.SCHOOL, "École primaire {de}", "Chizé"),
    (SiteKind.MEDIA_LIBRARY, "Médiathèque {de}", "Melle"),
    (SiteKind.MEDIA_LIBRARY, "Médiathèque {de}", "Celles-sur-Belle"),
    (SiteKind.MEDIA_LIBRARY, "Médiathèque {de}", "Chef-Boutonne"),
    (SiteKind.MEDIA_LIBRARY, "Médiathèque {de}", "Lezay"),
    (SiteKind.MEDIA_LIBRARY, "Médiathèque {de}", "La Mothe-Saint-Héray"),
    (SiteKind.POOL, "Piscine communautaire {de}", "Melle"),
    (SiteKind.WASTE_CENTRE, "Déchèterie {de}", "Melle"),
    (SiteKind.WASTE_CENTRE, "Déchèterie {de}", "Chef-Boutonne"),
    (SiteKind.WASTE_CENTRE, "Déchèterie {de}", "Lezay"),
    (SiteKind.WASTE_CENTRE, "Déchèterie {de}", "Brioux-sur-Boutonne"),
    (SiteKind.NURSERY, "Multi-accueil {de}", "Melle"),
    (SiteKind.NURSERY, "Crèche {de}", "Celles-sur-Belle"),
    (SiteKind.NURSERY, "Multi-accueil {de}", "Lezay"),
    (SiteKind.TECHNICAL, "Centre technique communautaire", "Saint-Romans-lès-Melle"),
    (SiteKind.OTHER, "Office de tourisme {de}", "Melle"),
)

# Up to 4 sites share a commune; each gets a different small offset (≈ 150 m) around the
# commune's centroid so markers on a map do not sit on top of each other.
POSITION_OFFSETS = ((0, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (2, 0), (0, 2), (-2, 0))
OFFSET_STEP = Decimal("0.00150")


@dataclass(frozen=True)
class DepartmentPlan:
    """A department: where its people work, how many, and their jobs.

    ``head`` is the first person's title; ``titles`` the others', drawn at random. A title
    is ``"masculine|feminine"`` or one epicene word; a leading ``*`` marks desk jobs, which
    get a workstation and a desk phone.
    """

    name: str
    code: str
    site_kinds: tuple[str, ...]
    size: int
    head: str
    titles: tuple[str, ...]


DEPARTMENT_PLAN: tuple[DepartmentPlan, ...] = (
    DepartmentPlan(
        "Direction générale",
        "DG",
        (SiteKind.HEAD_OFFICE,),
        6,
        "*Directeur général des services|Directrice générale des services",
        (
            "*Directeur général adjoint|Directrice générale adjointe",
            "*Assistant de direction|Assistante de direction",
            "*Chargé de mission|Chargée de mission",
        ),
    ),
    DepartmentPlan(
        "Systèmes d'information",
        "DSI",
        (SiteKind.HEAD_OFFICE,),
        5,
        "*Responsable du service informatique",
        (
            "*Technicien informatique|Technicienne informatique",
            "*Administrateur systèmes et réseaux|Administratrice systèmes et réseaux",
        ),
    ),
    DepartmentPlan(
        "Finances",
        "FIN",
        (SiteKind.HEAD_OFFICE,),
        8,
        "*Responsable des finances",
        (
            "*Gestionnaire comptable",
            "*Gestionnaire budgétaire",
            "*Chargé de la paie|Chargée de la paie",
        ),
    ),
    DepartmentPlan(
        "Ressources humaines",
        "RH",
        (SiteKind.HEAD_OFFICE,),
        7,
        "*Responsable des ressources humaines",
        (
            "*Gestionnaire carrière et paie",
            "*Chargé de formation|Chargée de formation",
            "*Assistant de prévention|Assistante de prévention",
        ),
    ),
    DepartmentPlan(
        "Commande publique",
        "CP",
        (SiteKind.HEAD_OFFICE,),
        4,
        "*Responsable de la commande publique",
        ("*Gestionnaire des marchés publics", "*Juriste"),
    ),
    DepartmentPlan(
        "Communication",
        "COM",
        (SiteKind.HEAD_OFFICE,),
        4,
        "*Responsable de la communication",
        ("*Chargé de communication|Chargée de communication", "*Graphiste", "*Webmestre"),
    ),
    DepartmentPlan(
        "Urbanisme",
        "URBA",
        (SiteKind.HEAD_OFFICE,),
        6,
        "*Responsable de l'urbanisme",
        (
            "*Instructeur des autorisations d'urbanisme|Instructrice des autorisations d'urbanisme",
            "*Chargé de mission PLUi|Chargée de mission PLUi",
        ),
    ),
    DepartmentPlan(
        "Tourisme",
        "TOUR",
        (SiteKind.OTHER,),
        5,
        "*Responsable de l'office de tourisme",
        ("*Conseiller en séjour|Conseillère en séjour",),
    ),
    DepartmentPlan(
        "Action sociale et France Services",
        "FS",
        (SiteKind.FRANCE_SERVICES,),
        14,
        "*Responsable France Services",
        (
            "*Conseiller France Services|Conseillère France Services",
            "*Agent d'accueil|Agente d'accueil",
            "*Conseiller numérique|Conseillère numérique",
        ),
    ),
    DepartmentPlan(
        "Enfance-jeunesse",
        "EJ",
        (SiteKind.FRANCE_SERVICES, SiteKind.HEAD_OFFICE),
        14,
        "*Responsable enfance-jeunesse",
        (
            "Animateur|Animatrice",
            "Animateur|Animatrice",
            "*Coordinateur jeunesse|Coordinatrice jeunesse",
        ),
    ),
    DepartmentPlan(
        "Écoles",
        "ECOLES",
        (SiteKind.SCHOOL,),
        75,
        "*Responsable des affaires scolaires",
        (
            "ATSEM",
            "ATSEM",
            "Agent d'entretien|Agente d'entretien",
            "Agent de restauration scolaire|Agente de restauration scolaire",
            "Animateur périscolaire|Animatrice périscolaire",
        ),
    ),
    DepartmentPlan(
        "Petite enfance",
        "PE",
        (SiteKind.NURSERY,),
        30,
        "*Coordinateur petite enfance|Coordinatrice petite enfance",
        (
            "Auxiliaire de puériculture",
            "Auxiliaire de puériculture",
            "Éducateur de jeunes enfants|Éducatrice de jeunes enfants",
            "Agent d'entretien|Agente d'entretien",
        ),
    ),
    DepartmentPlan(
        "Culture et médiathèques",
        "CULT",
        (SiteKind.MEDIA_LIBRARY,),
        12,
        "*Responsable du réseau des médiathèques",
        (
            "*Bibliothécaire",
            "*Assistant de conservation|Assistante de conservation",
            "*Médiateur numérique|Médiatrice numérique",
        ),
    ),
    DepartmentPlan(
        "Piscine",
        "PISC",
        (SiteKind.POOL,),
        10,
        "*Chef de bassin|Cheffe de bassin",
        (
            "Maître-nageur sauveteur|Maître-nageuse sauveteuse",
            "Agent d'accueil|Agente d'accueil",
            "Agent d'entretien|Agente d'entretien",
        ),
    ),
    DepartmentPlan(
        "Déchets",
        "DECH",
        (SiteKind.WASTE_CENTRE, SiteKind.TECHNICAL),
        16,
        "*Responsable du service déchets",
        (
            "Gardien de déchèterie|Gardienne de déchèterie",
            "Ripeur|Ripeuse",
            "Chauffeur poids lourd|Chauffeuse poids lourd",
            "*Ambassadeur du tri|Ambassadrice du tri",
        ),
    ),
    DepartmentPlan(
        "Voirie",
        "VOIR",
        (SiteKind.TECHNICAL,),
        18,
        "*Responsable de la voirie",
        (
            "Agent de voirie|Agente de voirie",
            "Agent de voirie|Agente de voirie",
            "Conducteur d'engins|Conductrice d'engins",
            "*Technicien voirie|Technicienne voirie",
        ),
    ),
    DepartmentPlan(
        "Services techniques",
        "ST",
        (SiteKind.TECHNICAL, SiteKind.HEAD_OFFICE),
        16,
        "*Directeur des services techniques|Directrice des services techniques",
        (
            "Agent de maintenance des bâtiments|Agente de maintenance des bâtiments",
            "Électricien|Électricienne",
            "Plombier|Plombière",
            "*Technicien bâtiments|Technicienne bâtiments",
        ),
    ),
)

SCHOOL_HEAD = "*Directeur d'école|Directrice d'école"

# The IT charter in force in the demo, so that equipment can be lent from the first visit.
CHARTER_TEXT = """\
Article 1 — Objet. La présente charte fixe les règles d'usage du matériel et des services \
informatiques de la communauté de communes, au bureau comme en télétravail.

Article 2 — Matériel prêté. Le matériel prêté reste la propriété de la communauté de \
communes. Il est réservé à un usage professionnel et ne doit pas être confié à un tiers.

Article 3 — Sécurité. L'agent verrouille sa session en quittant son poste, ne désactive ni \
l'antivirus ni le chiffrement, accepte les mises à jour et n'installe aucun logiciel sans \
l'accord du service informatique.

Article 4 — Comptes. Les identifiants et la double authentification sont personnels ; un \
mot de passe ne se communique jamais, pas même au service informatique.

Article 5 — Incident. Une perte, un vol ou un comportement suspect du poste est signalé \
sans délai au service informatique.

Article 6 — Restitution. Le matériel est rendu complet à la date prévue ou à la première \
demande du service informatique.
"""
