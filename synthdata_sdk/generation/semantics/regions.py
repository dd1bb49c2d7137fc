"""Regions: a country's first-level subdivision, named and coded in the locale's own terms.

en_US: the 50 states and the District of Columbia, with their USPS codes; en_GB: the four
nations; de_DE: the 16 Länder; fr_FR: the 13 metropolitan régions. Codes are the ISO 3166-2
subdivision part without the country prefix (``CA``, ``ENG``, ``BY``, ``IDF``; USPS and ISO
agree for the US), so ``f"{country_code}-{region_code}"`` is the full ISO 3166-2 code.

Each subdivision is home to hundreds of thousands of people or more, so a region identifies
nobody. The lists are written out here rather than read from Faker: Faker's fr_FR list is the
one from before the 2016 reform, and its en_GB data has counties but no nations.
"""

from __future__ import annotations

from typing import ClassVar

from synthdata_sdk.generation.semantics.pools import Pool, PoolSemantic, check_locale

#: (name, code) of each locale's first-level subdivisions, in alphabetical order of name
REGIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "en_US": (
        ("Alabama", "AL"), ("Alaska", "AK"), ("Arizona", "AZ"), ("Arkansas", "AR"),
        ("California", "CA"), ("Colorado", "CO"), ("Connecticut", "CT"), ("Delaware", "DE"),
        ("District of Columbia", "DC"), ("Florida", "FL"), ("Georgia", "GA"), ("Hawaii", "HI"),
        ("Idaho", "ID"), ("Illinois", "IL"), ("Indiana", "IN"), ("Iowa", "IA"),
        ("Kansas", "KS"), ("Kentucky", "KY"), ("Louisiana", "LA"), ("Maine", "ME"),
        ("Maryland", "MD"), ("Massachusetts", "MA"), ("Michigan", "MI"), ("Minnesota", "MN"),
        ("Mississippi", "MS"), ("Missouri", "MO"), ("Montana", "MT"), ("Nebraska", "NE"),
        ("Nevada", "NV"), ("New Hampshire", "NH"), ("New Jersey", "NJ"), ("New Mexico", "NM"),
        ("New York", "NY"), ("North Carolina", "NC"), ("North Dakota", "ND"), ("Ohio", "OH"),
        ("Oklahoma", "OK"), ("Oregon", "OR"), ("Pennsylvania", "PA"), ("Rhode Island", "RI"),
        ("South Carolina", "SC"), ("South Dakota", "SD"), ("Tennessee", "TN"), ("Texas", "TX"),
        ("Utah", "UT"), ("Vermont", "VT"), ("Virginia", "VA"), ("Washington", "WA"),
        ("West Virginia", "WV"), ("Wisconsin", "WI"), ("Wyoming", "WY"),
    ),
    "en_GB": (
        ("England", "ENG"), ("Northern Ireland", "NIR"), ("Scotland", "SCT"), ("Wales", "WLS"),
    ),
    "de_DE": (
        ("Baden-Württemberg", "BW"), ("Bayern", "BY"), ("Berlin", "BE"), ("Brandenburg", "BB"),
        ("Bremen", "HB"), ("Hamburg", "HH"), ("Hessen", "HE"), ("Mecklenburg-Vorpommern", "MV"),
        ("Niedersachsen", "NI"), ("Nordrhein-Westfalen", "NW"), ("Rheinland-Pfalz", "RP"),
        ("Saarland", "SL"), ("Sachsen", "SN"), ("Sachsen-Anhalt", "ST"),
        ("Schleswig-Holstein", "SH"), ("Thüringen", "TH"),
    ),
    "fr_FR": (
        ("Auvergne-Rhône-Alpes", "ARA"), ("Bourgogne-Franche-Comté", "BFC"),
        ("Bretagne", "BRE"), ("Centre-Val de Loire", "CVL"), ("Corse", "20R"),
        ("Grand Est", "GES"), ("Hauts-de-France", "HDF"), ("Île-de-France", "IDF"),
        ("Normandie", "NOR"), ("Nouvelle-Aquitaine", "NAQ"), ("Occitanie", "OCC"),
        ("Pays de la Loire", "PDL"), ("Provence-Alpes-Côte d'Azur", "PAC"),
    ),
}  # fmt: skip

#: what the subdivisions are and where their codes come from (docs and safe_rule)
_SAFE_RULE = (
    "a first-level subdivision (US state or DC, UK nation, German Land, French metropolitan"
    " région): each is home to hundreds of thousands of people or more, so it identifies nobody"
)


class Region(PoolSemantic):
    """A state, nation, Land or région by name: ``California``, ``Wales``, ``Bayern``,
    ``Île-de-France``. In a record with a town it is that town's region (``records``)."""

    name: ClassVar[str] = "region"
    description: ClassVar[str] = (
        "The first-level subdivision by name: a US state, UK nation, German Land or French région."
    )
    safe_rule: ClassVar[str] = _SAFE_RULE

    def pool(self, locale: str) -> Pool:
        return Pool.of(name for name, _ in REGIONS[check_locale(locale)])


class RegionCode(PoolSemantic):
    """The region's ISO 3166-2 subdivision code without the country prefix: ``CA`` (USPS),
    ``WLS``, ``BY``, ``IDF``; index for index the same region as ``Region``."""

    name: ClassVar[str] = "region_code"
    description: ClassVar[str] = (
        "The first-level subdivision's ISO 3166-2 code without the country prefix (US: USPS)."
    )
    safe_rule: ClassVar[str] = _SAFE_RULE

    def pool(self, locale: str) -> Pool:
        return Pool.of(code for _, code in REGIONS[check_locale(locale)])
