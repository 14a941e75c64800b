"""Realistic companies of Belgium (both language regions), the Netherlands, France and
Germany: names in the country's style, addresses, valid VAT and company numbers, IBANs."""

from __future__ import annotations

import random
import unicodedata

from lucy_events.samples import numbers
from lucy_events.samples.model import Address, Party

SURNAMES = {
    "BE-nl": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
              "Goossens", "Wouters", "De Smet", "Vermeulen", "Van den Broeck", "Hermans",
              "Dewulf", "Verhaegen", "Declercq", "Van Damme", "Lambrecht"],
    "BE-fr": ["Dubois", "Lambert", "Dupont", "Martin", "Leclercq", "Renard", "Lemaire",
              "Collignon", "Dumont", "Simon", "Lejeune", "Mathieu", "Gilson", "Denis"],
    "NL": ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
           "de Groot", "Bos", "Vos", "Dekker", "van Dijk", "Brouwer"],
    "FR": ["Martin", "Bernard", "Moreau", "Laurent", "Lefèvre", "Garnier", "Rousseau",
           "Fontaine", "Chevalier", "Girard", "Bonnet", "Mercier"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
           "Schäfer", "Koch", "Richter", "Wagner", "Krüger"],
}
TRADES = {
    "nl": ["Bakkerij", "Drukkerij", "Schrijnwerkerij", "Elektro", "Transport", "Bouwbedrijf",
           "Kantoorartikelen", "Koffiebranderij", "Schoonmaakbedrijf", "Installatietechniek",
           "Houthandel", "Garage", "Dakwerken", "Tuinaanleg"],
    "fr": ["Imprimerie", "Boulangerie", "Transports", "Menuiserie", "Fournitures",
           "Électricité", "Garage", "Toitures", "Nettoyage", "Chauffage", "Brasserie"],
    "de": ["Druckerei", "Elektrotechnik", "Logistik", "Bürobedarf", "Maschinenbau",
           "Holzbau", "Haustechnik", "Reinigung", "Autohaus", "Bäckerei"],
    "en": ["Software", "Logistics", "Consulting", "Systems", "Media", "Labs", "Analytics",
           "Cloud Services", "Design Studio", "Hosting"],
}
BRANDS = ["Northwind", "Bright", "Delta", "Nova", "Orbit", "Lumen", "Bluebird", "Polder",
          "Ardenne", "Scheldt", "Meridian", "Helix"]
FORMS = {"BE-nl": ["BV", "NV", "CommV"], "BE-fr": ["SRL", "SA", "SComm"],
         "NL": ["B.V.", "BV", "V.O.F."], "FR": ["SARL", "SAS", "SA", "EURL"],
         "DE": ["GmbH", "GmbH & Co. KG", "AG", "e.K."]}
CITIES = {
    "BE-nl": [("9000", "Gent"), ("2000", "Antwerpen"), ("3000", "Leuven"), ("8000", "Brugge"),
              ("2800", "Mechelen"), ("3500", "Hasselt"), ("8500", "Kortrijk"),
              ("9300", "Aalst")],
    "BE-fr": [("1000", "Bruxelles"), ("4000", "Liège"), ("5000", "Namur"),
              ("6000", "Charleroi"), ("7000", "Mons"), ("1300", "Wavre")],
    "NL": [("1012 AB", "Amsterdam"), ("3511 LN", "Utrecht"), ("3011 AD", "Rotterdam"),
           ("5611 AB", "Eindhoven"), ("4811 XJ", "Breda"), ("9711 LM", "Groningen")],
    "FR": [("75011", "Paris"), ("59000", "Lille"), ("69003", "Lyon"), ("51100", "Reims"),
           ("33000", "Bordeaux")],
    "DE": [("50667", "Köln"), ("52062", "Aachen"), ("40213", "Düsseldorf"),
           ("10115", "Berlin"), ("80331", "München")],
}
STREETS = {
    "BE-nl": ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat",
              "Industrieweg", "Brugsesteenweg", "Kortrijksesteenweg", "Veldstraat"],
    "BE-fr": ["Rue de la Station", "Avenue Louise", "Rue du Commerce",
              "Chaussée de Waterloo", "Rue Haute", "Boulevard d'Avroy", "Rue de Fer"],
    "NL": ["Oudegracht", "Hoofdstraat", "Kerkweg", "Industrieweg", "Marktplein",
           "Stationsweg", "Keizersgracht"],
    "FR": ["Rue de la République", "Avenue Jean Jaurès", "Rue Nationale",
           "Boulevard Victor Hugo", "Rue des Lilas"],
    "DE": ["Hauptstraße", "Bahnhofstraße", "Industriestraße", "Schillerstraße",
           "Gartenstraße", "Lindenallee"],
}
#: Where a document of each language comes from.
REGIONS = {"nl": ["BE-nl", "BE-nl", "NL"], "fr": ["BE-fr", "BE-fr", "FR"], "de": ["DE"],
           "en": ["BE-nl", "NL"]}


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def company_name(rng: random.Random, region: str, language: str) -> str:
    surname = rng.choice(SURNAMES[region])
    form = rng.choice(FORMS[region])
    if language == "en":
        return f"{rng.choice(BRANDS)} {rng.choice(TRADES['en'])} {form}"
    trade = rng.choice(TRADES[language])
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"{trade} {surname} {form}"
    if pattern == 1:
        return f"{surname} {trade} {form}"
    joiner = {"nl": "& Zonen", "fr": "& Fils", "de": "& Söhne"}[language]
    return f"{surname} {joiner} {form}"


def address(rng: random.Random, region: str) -> Address:
    postal_code, city = rng.choice(CITIES[region])
    name, number = rng.choice(STREETS[region]), rng.randrange(1, 220)
    # France writes the number first; Belgium, the Netherlands and Germany after.
    street = f"{number} {name}" if region == "FR" else f"{name} {number}"
    return Address(street, postal_code, city, region[:2])


def numbers_of(rng: random.Random, country: str) -> tuple[str, str | None]:
    """(VAT number, company number) in compact form; Germany has no checked company number."""
    if country == "BE":
        enterprise = numbers.be_enterprise_number(rng)
        return "BE" + enterprise, enterprise
    if country == "NL":
        return numbers.nl_vat(rng), numbers.nl_kvk(rng)
    if country == "FR":
        siren = numbers.fr_siren(rng)
        return numbers.fr_vat(siren), siren
    return numbers.de_vat_number(rng), None


def company(rng: random.Random, language: str, region: str | None = None) -> Party:
    region = region or rng.choice(REGIONS[language])
    name = company_name(rng, region, language)
    where = address(rng, region)
    vat, enterprise = numbers_of(rng, where.country)
    account, bic = numbers.iban(where.country, rng)
    domain = _ascii(name.split()[0] + name.split()[1])[:18]
    tld = {"BE": "be", "NL": "nl", "FR": "fr", "DE": "de"}[where.country]
    phone = {"BE": "+32 9 {} {} {}", "NL": "+31 30 {} {} {}", "FR": "+33 1 {} {} {}",
             "DE": "+49 221 {} {} {}"}[where.country].format(
        rng.randrange(100, 999), rng.randrange(10, 99), rng.randrange(10, 99))
    return Party(name=name, address=where, vat=vat, enterprise_number=enterprise,
                 iban=account, bic=bic, email=f"info@{domain}.{tld}", phone=phone)
