"""Cross-file rules on where a record is: its commune (INSEE code, name, postal code), its basin, its position and
its address among the other lieux of its network.

Plain functions of a file's read values and its reader (which collects the French messages), used alike by the
full load (:mod:`build_tools.loader`) and by the lieux not yet written (:mod:`build_tools.candidates`).
"""

from __future__ import annotations

from .contract import Reader
from .gazetteer import TYPES_DELEGUEE, Gazetteer, listed
from .geo import distance_km
from .geocache import GeocodeCache, address_text, cache_key
from .model import Commune, Site
from .text import fold

MAX_KM_FROM_COMMUNE = 20
"""How far from its commune's centre a lieu may be (the demo's farthest is 3.7 km; the largest communes of
the territory are about 15 km across)."""


def address_key(reseau: str, voie: str, code_insee: str) -> tuple[str, str, str]:
    """Two lieux of one network with this key are the same place."""
    return reseau, fold(voie), code_insee


def check_address(reader: Reader, path: str, adresse: dict, gazetteer: Gazetteer) -> Commune | None:
    """Check an address's INSEE code, commune name and postal code against the gazetteer; the commune
    when its code exists. A name matching the official one (spelling forgiven) is replaced by it."""
    code, written, postal_code = adresse.get("code_insee"), adresse.get("commune"), adresse.get("code_postal")
    if code is None:
        return None
    commune = gazetteer.communes.get(code)
    if commune is None:
        reader.report_field(f"{path}.code_insee", unknown_code(code, gazetteer, written))
        return None
    if written is not None:
        if gazetteer.name_matches(commune, written):
            adresse["commune"] = commune.nom
        else:
            reader.report_field(f"{path}.commune", wrong_name(commune, written, gazetteer))
    if postal_code is not None and postal_code not in commune.codes_postaux:
        message = f"le code postal {postal_code} n'est pas celui de {commune.nom} ({', '.join(commune.codes_postaux)})"
        others = gazetteer.with_postal_code(postal_code)
        meant = [c for c in others if written and gazetteer.name_matches(c, written)]
        if postal_code == code:
            message += f" : {code} est son code INSEE, pas son code postal"
        elif meant or others:
            shown = meant or others[:5]
            more = "" if meant or len(others) <= 5 else f" et {len(others) - 5} autres communes"
            message += f" ; {postal_code} est le code postal de {listed(shown)}{more}"
        reader.report_field(f"{path}.code_postal", message)
    return commune


def event_commune(reader: Reader, emplacement: dict | None, gazetteer: Gazetteer | None) -> Commune | None:
    """The commune of an event's ``emplacement``: checked when its INSEE code is written, else found from
    the commune's name and postal code (and written into the values)."""
    if not emplacement or gazetteer is None:
        return None
    if "code_insee" in emplacement:
        return check_address(reader, "emplacement", emplacement, gazetteer)
    if not {"commune", "code_postal"} <= emplacement.keys():
        return None
    found = gazetteer.resolve(emplacement["commune"], emplacement["code_postal"])
    if found.commune is None:
        reader.report_field(f"emplacement.{found.key}", found.reason)
        return None
    emplacement.update(code_insee=found.commune.code_insee, commune=found.commune.nom)
    return found.commune


def check_lieu_geography(
    reader: Reader,
    values: dict,
    gazetteer: Gazetteer | None,
    site: Site | None,
    geocache: GeocodeCache | None = None,
    cache_shown: str = "",
) -> None:
    """A lieu's address is in the gazetteer, its commune in its basin, its position in the Région and in its
    commune. ``geocache`` (shown as ``cache_shown``): the geocoded positions to check too."""
    adresse = values.get("adresse") or {}
    commune = check_address(reader, "adresse", adresse, gazetteer) if gazetteer else None
    bassin = values.get("bassin")
    if commune is not None and commune.bassin and bassin and bassin != commune.bassin:
        reader.report_field(
            "adresse.code_insee",
            f"la commune {commune.code_insee} ({commune.nom}) n'appartient pas au bassin « {bassin} » : elle est dans "
            f"le bassin « {commune.bassin} » ; corrigez le bassin (bassin: {commune.bassin}) ou l'adresse",
        )
    coordonnees = values.get("coordonnees")
    if site and coordonnees and {"lat", "lon"} <= coordonnees.keys():
        if not site.emprise.contient(coordonnees["lat"], coordonnees["lon"]):
            reader.report_field(
                "coordonnees",
                f"position ({coordonnees['lat']}, {coordonnees['lon']}) hors de la Région {site.region} : "
                "latitude et longitude inversées ?",
            )
            return
    if commune is not None:
        _check_position_near_commune(reader, adresse, coordonnees, commune, geocache, cache_shown)


def _check_position_near_commune(
    reader: Reader,
    adresse: dict,
    coordonnees: dict | None,
    commune: Commune,
    geocache: GeocodeCache | None,
    cache_shown: str,
) -> None:
    """A lieu is placed in its commune: a manual position, or the cached geocoding of its address, more than
    MAX_KM_FROM_COMMUNE from the commune's centre moves it elsewhere on every map (and nothing else shows it)."""
    if coordonnees and {"lat", "lon"} <= coordonnees.keys():
        field, lat, lon = "coordonnees", coordonnees["lat"], coordonnees["lon"]
        what, fix = f"coordonnées ({lat}, {lon})", "corrigez-les, ou corrigez l'adresse"
    elif geocache is not None and {"voie", "code_postal"} <= adresse.keys():
        query = address_text(adresse["voie"], adresse["code_postal"], commune.nom)
        entry = geocache.get(cache_key(query, commune.code_insee))
        if entry is None:
            return
        field, lat, lon = "adresse", entry.lat, entry.lon
        what = f"position en cache de cette adresse ({lat}, {lon}, {cache_shown})"
        fix = "retirez sa ligne du cache et relancez « spro geocode », ou corrigez l'adresse"
    else:
        return
    distance = distance_km(lat, lon, commune.lat, commune.lon)
    if distance > MAX_KM_FROM_COMMUNE:
        reader.report_field(field, f"{what} à {distance:.0f} km du centre de {commune.nom} : {fix}")


def check_duplicate_address(reader: Reader, values: dict, by_address: dict[tuple, str]) -> None:
    """One lieu per network and address: the first file keeps it (``by_address``: key -> file, filled as it goes)."""
    adresse = values.get("adresse") or {}
    if not {"voie", "code_insee"} <= adresse.keys() or "reseau" not in values:
        return
    key = address_key(values["reseau"], adresse["voie"], adresse["code_insee"])
    first = by_address.get(key)
    if first:
        reader.report_field("adresse.voie", f"même adresse et même réseau que {first} : ce lieu semble en double")
    else:
        by_address[key] = reader.path


def unknown_code(code: str, gazetteer: Gazetteer, written: str | None = None) -> str:
    """Why an INSEE code is refused, and the code meant when it can be told."""
    message = f"code INSEE {code} inconnu : aucune commune de la Région n'a ce code (data/communes.csv)"
    former = gazetteer.deleguees.get(code)
    named = gazetteer.designated_by(written) if written else []
    postal = gazetteer.with_postal_code(code)
    if former is not None:
        current = gazetteer.communes[former.commune]
        return (
            f"{message} ; {code} était le code INSEE de « {former.nom} », aujourd'hui commune "
            f"{TYPES_DELEGUEE[former.type]} de « {current.nom} » : écrivez le code INSEE {current.code_insee} ({current.nom})"
        )
    if named:
        return f"{message} ; " + " ; ".join(f"le code INSEE de {c.nom} est {c.code_insee}" for c in named)
    if postal:
        return f"{message} ; {code} est un code postal ({listed(postal)}), pas un code INSEE"
    close = gazetteer.closest_code(code)
    return message + (f". Vouliez-vous dire « {close.code_insee} » ({close.nom}) ?" if close else "")


def wrong_name(commune: Commune, written: str, gazetteer: Gazetteer) -> str:
    """Why ``written`` is not the name of ``commune``: its official spelling, and what was perhaps meant."""
    message = (
        f"« {written} » n'est pas le nom de la commune {commune.code_insee} : son nom officiel est « {commune.nom} »"
    )
    former = [d for d in gazetteer.formerly_named(written) if d.commune == commune.code_insee]
    if former:
        return (
            f"{message} ; « {former[0].nom} » est une commune {TYPES_DELEGUEE[former[0].type]} de « {commune.nom} » : "
            f"écrivez commune: {commune.nom} (l'ancienne commune peut figurer dans « complement »)"
        )
    others = [c for c in gazetteer.designated_by(written) if c.code_insee != commune.code_insee]
    if others:
        return f"{message} ; si l'adresse est à {written} : " + " ; ".join(
            f"code INSEE {c.code_insee}, code postal {', '.join(c.codes_postaux)} ({c.nom})" for c in others
        )
    return message
