"""Invented people: common French first and last names, combined at random.

The lists hold frequent names only, so any combination is ordinary; no real person is meant.
"""

from __future__ import annotations

import random
import unicodedata

FEMALE_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Véronique",
    "Christine", "Valérie", "Stéphanie", "Céline", "Sophie", "Laurence", "Aurélie",
    "Émilie", "Julie", "Camille", "Claire", "Anne", "Hélène", "Martine", "Florence",
    "Caroline", "Karine", "Virginie", "Delphine", "Élodie", "Mélanie", "Audrey", "Laetitia",
    "Pauline", "Marion", "Charlotte", "Manon", "Léa", "Chloé", "Sarah", "Laura", "Agnès",
    "Brigitte", "Corinne", "Patricia", "Monique", "Françoise", "Annie", "Béatrice",
    "Géraldine", "Magali", "Séverine", "Amandine",
)  # fmt: skip

MALE_FIRST_NAMES = (
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre",
    "Christian", "Éric", "Laurent", "Frédéric", "Stéphane", "David", "Olivier", "Julien",
    "Sébastien", "Thierry", "Pascal", "Daniel", "Bernard", "Didier", "Jérôme", "François",
    "Vincent", "Thomas", "Guillaume", "Mathieu", "Antoine", "Romain", "Alexandre",
    "Maxime", "Kévin", "Anthony", "Cédric", "Fabrice", "Franck", "Gilles", "Hervé", "Yannick",
    "Benoît", "Arnaud", "Bruno", "Damien", "Lucas", "Hugo", "Quentin", "Jérémy", "Bastien",
)  # fmt: skip

LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
    "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand",
    "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour",
    "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux",
    "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud",
    "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey",
    "Léger", "Charpentier", "Guillot", "Baudry", "Texier", "Gaborit", "Bouchet", "Guillon",
    "Rabault", "Bonneau", "Bodin", "Pineau", "Chauvin", "Raffin", "Jaulin", "Moinard",
)  # fmt: skip


def random_identity(rng: random.Random) -> tuple[str, str, bool]:
    """(first name, last name, is female) drawn from the lists."""
    female = rng.random() < 0.62  # local government staff are mostly women
    first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
    return first, rng.choice(LAST_NAMES), female


def slug(text: str) -> str:
    """ASCII, lower case, spaces as hyphens: "Lefèvre" → "lefevre", "Le Vert" → "le-vert"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(ascii_text.lower().replace("'", " ").split())


def email_local_part(first_name: str, last_name: str, taken: set[str]) -> str:
    """``prenom.nom``, with 2, 3… appended when already taken (and then marked taken)."""
    base = f"{slug(first_name)}.{slug(last_name)}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate
