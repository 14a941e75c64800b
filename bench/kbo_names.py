"""Realistic Belgian company names for the register benchmark, seeded."""

from __future__ import annotations

import random

SURNAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Leclercq", "Vermeulen", "Van Damme",
    "Desmet", "Lemaire", "Hermans", "Michiels", "Pauwels", "Aerts", "Smets", "Declercq",
    "Verstraete", "Baert", "Cools", "Segers", "Stevens", "Vandenberghe", "Lenaerts", "Claeys",
    "Coppens", "Van den Broeck", "Renard", "Mathieu", "François", "Gérard", "Lejeune",
    "Simon", "Laurent", "Dumont", "Hubert", "Fontaine", "Bertrand", "Mercier", "Noël", "Lefèvre",
    "Wauters", "Hendrickx", "Dewulf", "Vandamme", "Verhoeven", "Geerts", "Thys", "Bogaert",
    "Van Hecke", "De Backer", "Mees", "Vanhove", "Devos", "Lammens", "Vinck", "Moens", "Nijs",
    "Heylen", "Boeckx", "Verbeke", "Cuypers", "Bosmans", "Van Acker", "Tack", "D'Hondt",
    "Ghysels", "Gielen", "Lauwers", "Van Hoof", "Meunier", "Collignon", "Delvaux", "Gilson",
    "Piret", "Thiry", "Jacquet", "Hoste",
)
TRADES_NL = (
    "Bakkerij", "Slagerij", "Brouwerij", "Garage", "Bouwbedrijf", "Schrijnwerkerij", "Apotheek",
    "Kapsalon", "Drukkerij", "Transport", "Schilderwerken", "Elektriciteit", "Loodgieterij",
    "Tuinaanleg", "Boekhoudkantoor", "Advocatenkantoor", "Immo", "Bouwonderneming", "Brasserie",
    "Frituur", "Dakwerken", "Verzekeringen", "Architectenbureau", "Kinesitherapie"
)
TRADES_FR = (
    "Boulangerie", "Boucherie", "Brasserie", "Menuiserie", "Pharmacie", "Coiffure", "Imprimerie",
    "Transports", "Peinture", "Électricité", "Plomberie", "Jardins", "Fiduciaire", "Cabinet",
    "Toiture", "Assurances", "Pâtisserie", "Librairie", "Quincaillerie", "Épicerie", "Crèmerie",
    "Charcuterie", "Ébénisterie", "Société", "Générale"
)
PLACES = (
    "Gent", "Brugge", "Antwerpen", "Leuven", "Mechelen", "Hasselt", "Kortrijk", "Aalst", "Liège",
    "Namur", "Mons", "Charleroi", "Wavre", "Arlon", "Tournai", "Ieper", "Oostende", "Genk",
    "Lier", "Turnhout", "Dinant", "Spa", "Bastogne", "Nivelles", "Malmedy", "Eupen", "Huy", "Ath",
    "Tienen", "Geel"
)
ARTICLES = ("Het", "De", "du", "de la", "des", "van", "\u2019t")
THINGS = (
    "Anker", "Molen", "Zwaan", "Kroon", "Hoek", "Markt", "Beuk", "Eik", "Linde", "Vallée",
    "Château", "Moulin", "Étoile", "Soleil", "Fontaine", "Forêt", "Colline", "Haven", "Kasteel",
    "Toren", "Brug", "Pont", "Lion", "Cerf"
)
FORMS = ("BV", "NV", "SRL", "SA", "VZW", "ASBL", "CommV", "SComm", "", "", "")
SYLLABLES = (
    "ka", "ro", "vi", "ta", "lu", "ne", "mo", "ri", "sa", "te", "xo", "bel", "gi", "ca", "dra",
    "ven", "tor", "lix", "nor", "sol", "pra", "qua", "zen", "tri", "ver", "dia", "mar", "elo",
    "fin"
)


def fantasy(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def company_name(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        core = f"{rng.choice(TRADES_NL + TRADES_FR)} {rng.choice(SURNAMES)}"
    elif kind < 0.45:
        core = f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)}"
    elif kind < 0.6:
        core = f"{rng.choice(TRADES_NL + TRADES_FR)} {rng.choice(ARTICLES)} {rng.choice(THINGS)}"
    elif kind < 0.75:
        core = f"{fantasy(rng)} {rng.choice(('Invest', 'Solutions', 'Consult', 'Group'))}"
    elif kind < 0.9:
        core = f"{rng.choice(TRADES_NL + TRADES_FR)} {rng.choice(PLACES)}"
    else:
        core = f"{rng.choice(SURNAMES)} {fantasy(rng)}"
    return f"{core} {rng.choice(FORMS)}".strip()


def typo(word: str, rng: random.Random) -> str:
    """One slip of the fingers: a letter left out, doubled, swapped or replaced."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiourstn") + word[i + 1:]


def query_for(name: str, rng: random.Random) -> str:
    """What someone types looking for ``name``: two of its words, maybe without accents,
    maybe with a typo."""
    skipped = {*FORMS, *(w for article in ARTICLES for w in article.split()), "&"}
    words = [w for w in name.split() if w not in skipped]
    picked = words[:2] if len(words) > 1 else words
    if rng.random() < 0.3:
        index = rng.randrange(len(picked))
        picked[index] = typo(picked[index], rng)
    text = " ".join(picked)
    if rng.random() < 0.3:
        import unicodedata
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return text
