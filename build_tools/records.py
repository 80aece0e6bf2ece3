"""The data contract: what each YAML file of ``data/`` may contain.

This is the public contract partners and other Régions rely on. The descriptions are shown to
contributors (JSON Schemas in editors, the « Contribuer » field reference), so they are French.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from . import formats
from .contract import (
    INVALID,
    Bool,
    Choice,
    Code,
    Column,
    Date,
    Field,
    ListOf,
    MapOf,
    Number,
    Reader,
    Struct,
    Text,
)
from .diagnostics import Diagnostic, Severity
from .text import search_fold, search_words

STALE_AFTER_DAYS = 365

MODALITES = {
    "sur-place": "Sur place",
    "telephone": "Par téléphone",
    "visio": "En visioconférence",
    "courriel": "Par courriel",
}
"""How a lieu receives people: code -> label shown to the public (the only statement of these labels)."""
MODES_ACCUEIL_DATA_INCLUSION = {
    "sur-place": "en-presentiel",
    "telephone": "a-distance",
    "visio": "a-distance",
    "courriel": "a-distance",
}
"""Each modalité as a data·inclusion v1 ``modes_accueil`` code (tests/test_contract_codes.py pins them to the package)."""
# data·inclusion schema v1 « publics » codes (data_inclusion.schema.v1.Public).
TOUS_PUBLICS = "tous-publics"
"""The public that means everyone: alone in a list, and a lieu open to it matches any public asked for."""
PUBLICS_DATA_INCLUSION = (
    "tous-publics",
    "actifs",
    "beneficiaires-des-minimas-sociaux",
    "demandeurs-emploi",
    "etudiants",
    "familles",
    "femmes",
    "jeunes",
    "personnes-en-situation-de-handicap",
    "personnes-en-situation-durgence",
    "personnes-en-situation-juridique-specifique",
    "personnes-exilees",
    "residents-qpv-frr",
    "seniors",
)
PLACE_KEYS = ("code_postal", "commune")
"""Of a new lieu's columns, at least one of these: the other (and the INSEE code) comes from the gazetteer when it
tells."""
TYPES_EVENEMENT = {
    "salon": "Salon",
    "forum": "Forum",
    "job-dating": "Job dating",
    "portes-ouvertes": "Portes ouvertes",
    "atelier": "Atelier",
    "reunion-information": "Réunion d'information",
    "autre": "Événement",
}
"""Event types: code -> label shown to the public."""
TYPES_SERVICE_DATA_INCLUSION = (
    "accompagnement",
    "aide-financiere",
    "aide-materielle",
    "atelier",
    "formation",
    "information",
)

identifier = Text(
    max_length=80,
    pattern=formats.IDENTIFIER,
    pattern_message="lettres minuscules sans accent, chiffres et tirets uniquement",
    label="identifiant",
)
postal_code = Text(
    max_length=5,
    pattern=formats.POSTAL_CODE,
    pattern_message="un code postal compte 5 chiffres",
    check=formats.postal_code_advice,
    label="code postal (5 chiffres)",
)
insee_code = Text(
    max_length=5,
    pattern=formats.INSEE_CODE,
    pattern_message="un code INSEE de commune compte 5 caractères (ex. 86194), à ne pas confondre avec le code postal",
    label="code INSEE de la commune (5 caractères)",
)
departement = Text(
    max_length=3,
    pattern=r"\d{2}|2[AB]|97\d",
    pattern_message="code de département attendu (ex. 86)",
    label="code de département",
)
https_url = Text(max_length=500, check=formats.check_https_url, label="adresse web en https://", json_format="uri")
short_text = Text(max_length=150)
long_text = Text(max_length=4000, multiline=True, label="texte libre (plusieurs lignes possibles)")


class OpeningHours(Text):
    """Opening hours in OpenStreetMap syntax; errors point at the offending character."""

    def read(self, node, reader, path):
        value = super().read(node, reader, path)
        if value is INVALID:
            return INVALID
        problems = formats.opening_hours_problems(value)
        quoted = 1 if node.style in ('"', "'") else 0
        for column, problem in problems:
            reader.report_field(path, problem, column_offset=quoted + max(column - 1, 0))
        return INVALID if problems else value

    def describe(self):
        return "horaires au format OpenStreetMap opening_hours, ex. `Mo-Fr 09:00-12:30,13:30-17:00; PH off`"


def _closure_in_order(values: dict, reader: Reader, path: str) -> None:
    start, end = values.get("du"), values.get("au")
    if start and end and end < start:
        reader.report_field(
            f"{path}.au", f"la fin de fermeture ({end.isoformat()}) précède son début ({start.isoformat()})"
        )


def _publics_alone(values: dict, reader: Reader, path: str) -> None:
    publics = values.get("publics") or []
    if TOUS_PUBLICS in publics and len(publics) > 1:
        reader.report_field(
            "publics", "« tous-publics » s'emploie seul : retirez-le ou retirez les publics particuliers"
        )


def _id_matches_file(values: dict, reader: Reader, path: str) -> None:
    field_name = "id" if "id" in values else "code"
    declared = values.get(field_name)
    stem = PurePosixPath(reader.path).stem
    if declared and declared != stem:
        reader.report_field(
            field_name,
            f"« {declared} » ne correspond pas au nom du fichier « {stem} » : renommez le fichier ou corrigez le champ",
        )


def is_stale(checked: dt.date, today: dt.date) -> bool:
    """Not verified by a person for more than 12 months (a warning, never an error)."""
    return (today - checked).days > STALE_AFTER_DAYS


def _recently_verified(values: dict, reader: Reader, path: str) -> None:
    checked = values.get("verifie_le")
    if isinstance(checked, dt.date) and is_stale(checked, reader.today):
        reader.report_field(
            "verifie_le",
            f"fiche non vérifiée depuis plus de 12 mois (le {checked.isoformat()}) : "
            "vérifiez les informations et mettez la date à jour",
            Severity.WARNING,
        )


ADRESSE = Struct(
    title="Adresse",
    fields=(
        Field(
            "voie",
            short_text,
            "Numéro et voie, tels qu'écrits sur le courrier.",
            required=True,
            example="12 rue de la Marne",
            column=Column("voie", "numéro et voie", ("adresse", "rue"), export="adresse"),
        ),
        Field(
            "complement",
            short_text,
            "Complément : bâtiment, étage, lieu-dit.",
            example="2e étage",
            column=Column(
                "complement",
                "complément d'adresse",
                ("complément d'adresse", "complément adresse"),
                export="complement_adresse",
            ),
        ),
        Field(
            "code_postal",
            postal_code,
            "Code postal (5 chiffres), l'un de ceux de la commune.",
            required=True,
            example="86000",
            column=Column("code_postal", "code postal", ("CP",), export="code_postal", required=False),
        ),
        Field(
            "commune",
            short_text,
            "Nom de la commune, celui de son code INSEE dans data/communes.csv (majuscules, accents, "
            "tirets, apostrophes et « St » sont tolérés ; le site affiche l'orthographe officielle).",
            required=True,
            example="Poitiers",
            column=Column("commune", "commune", ("ville",), export="commune", required=False),
        ),
        Field(
            "code_insee",
            insee_code,
            "Code INSEE de la commune (différent du code postal), présent dans data/communes.csv.",
            required=True,
            example="86194",
            column=Column(
                "code_insee",
                "code INSEE (facultatif : trouvé d'après la commune et le code postal)",
                ("insee",),
                export="code_insee",
                export_label="code INSEE de la commune",
                required=False,
            ),
        ),
    ),
)

COORDONNEES = Struct(
    title="Coordonnées",
    fields=(
        Field(
            "lat",
            Number(-90, 90),
            "Latitude en degrés décimaux (WGS 84).",
            required=True,
            example=46.5802,
            column=Column("latitude", "latitude", ("lat",), export="latitude", export_label="latitude (WGS 84)"),
        ),
        Field(
            "lon",
            Number(-180, 180),
            "Longitude en degrés décimaux (WGS 84).",
            required=True,
            example=0.3404,
            column=Column(
                "longitude", "longitude", ("lon", "lng"), export="longitude", export_label="longitude (WGS 84)"
            ),
        ),
    ),
)

FERMETURE = Struct(
    title="Fermeture temporaire",
    rules=(_closure_in_order,),
    fields=(
        Field("du", Date(), "Premier jour de fermeture.", required=True, example="2026-12-24"),
        Field("au", Date(), "Dernier jour de fermeture (inclus).", required=True, example="2027-01-02"),
        Field("motif", short_text, "Motif affiché au public.", example="Congés de fin d'année"),
    ),
)

CONTACT = Struct(
    title="Contact",
    fields=(
        Field(
            "telephone",
            Text(
                max_length=30,
                check=formats.check_phone,
                normalize=formats.normalize_phone,
                label="numéro de téléphone français",
            ),
            "Téléphone d'accueil.",
            example="05 49 12 34 56",
            column=Column("telephone", "téléphone", ("tel",), export="telephone"),
        ),
        Field(
            "courriel",
            Text(max_length=254, check=formats.check_email, label="adresse électronique", json_format="email"),
            "Adresse électronique d'accueil.",
            example="accueil@exemple.fr",
            column=Column("courriel", "adresse électronique", ("e-mail", "email", "mél", "mail"), export="courriel"),
        ),
        Field(
            "site",
            https_url,
            "Site web (https://).",
            example="https://www.exemple.fr",
            column=Column(
                "site", "site web (https://)", ("site web", "site internet"), export="site_web", export_label="site web"
            ),
        ),
    ),
)

ACCESSIBILITE = Struct(
    title="Accessibilité",
    fields=(
        Field(
            "pmr",
            Bool(),
            "Accessible aux personnes en fauteuil roulant.",
            example=True,
            column=Column(
                "pmr",
                "accessible en fauteuil roulant (oui/non)",
                ("accessible PMR", "accessible en fauteuil roulant", "fauteuil roulant"),
                export="accessible_pmr",
                export_label="oui, non ou vide si non renseigné",
            ),
        ),
        Field(
            "details",
            long_text,
            "Précisions : rampe, ascenseur, boucle magnétique, accueil en langue des signes.",
            column=Column(
                "accessibilite", "précisions sur l'accessibilité", ("détails accessibilité", "accessibilité détails")
            ),
        ),
        Field(
            "acceslibre",
            https_url,
            "Lien vers la fiche du lieu sur acceslibre.beta.gouv.fr.",
            column=Column("acceslibre", "lien acceslibre", ("lien acceslibre",)),
        ),
    ),
)

LABEL = Struct(
    title="Label",
    fields=(
        Field(
            "depuis",
            Date(not_future=True),
            "Date d'attribution du label régional.",
            required=True,
            example="2024-03-01",
            column=Column(
                "label_depuis",
                "date d'attribution du label",
                ("label", "labellisé depuis"),
                export="label_depuis",
                export_label="date d'attribution du label régional",
            ),
        ),
    ),
)

LIEU = Struct(
    title="Lieu d'accueil",
    rules=(_publics_alone, _id_matches_file, _recently_verified),
    fields=(
        Field(
            "id",
            identifier,
            "Identifiant ; facultatif, il doit alors être égal au nom du fichier.",
            column=Column(
                "id",
                "identifiant (facultatif : choisi d'après le réseau et la commune)",
                ("identifiant",),
                export="id",
                export_label="identifiant du lieu (nom du fichier de données)",
            ),
        ),
        Field(
            "nom",
            short_text,
            "Nom du lieu d'accueil tel que le public le connaît.",
            required=True,
            example="Mission locale du Poitou - antenne de Poitiers",
            column=Column(
                "nom",
                "nom du lieu, tel que le public le connaît",
                ("nom du lieu",),
                export="nom",
                export_label="nom du lieu",
            ),
        ),
        Field(
            "reseau",
            Code("reseaux", "réseau"),
            "Réseau du lieu (clé de data/reseaux.yaml).",
            required=True,
            example="mission-locale",
            column=Column("reseau", "réseau", export="reseau", export_label="code du réseau"),
        ),
        Field(
            "structure",
            short_text,
            "Organisme gestionnaire.",
            column=Column("structure", "organisme gestionnaire", ("organisme", "gestionnaire"), export="structure"),
        ),
        Field(
            "siret",
            Text(
                max_length=17,
                check=formats.check_siret,
                normalize=formats.normalize_siret,
                label="numéro SIRET (14 chiffres)",
            ),
            "SIRET de l'établissement (14 chiffres).",
            example="13000000000000",
            column=Column("siret", "SIRET (14 chiffres)", export="siret", export_label="numéro SIRET"),
        ),
        Field("adresse", ADRESSE, "Adresse postale du lieu.", required=True),
        Field(
            "bassin",
            Code("bassins", "bassin"),
            "Bassin d'emploi (nom d'un fichier de data/bassins/).",
            required=True,
            example="poitiers",
            column=Column(
                "bassin",
                "bassin d'emploi (facultatif : celui de la commune)",
                ("bassin d'emploi",),
                export="bassin",
                export_label="code du bassin d'emploi",
                required=False,
            ),
        ),
        Field("coordonnees", COORDONNEES, "Position saisie à la main ; remplace le géocodage de l'adresse."),
        Field(
            "services",
            ListOf(Code("services", "service"), min_items=1),
            "Services proposés (clés de data/services.yaml).",
            required=True,
            example=["api", "cep"],
            column=Column(
                "services",
                "services, séparés par des virgules",
                export="services",
                export_label="codes des services, séparés par « | »",
            ),
        ),
        Field(
            "publics",
            ListOf(Code("publics", "public"), min_items=1),
            "Publics accueillis (clés de data/publics.yaml) ; « tous-publics » s'emploie seul.",
            required=True,
            example=["tous-publics"],
            column=Column(
                "publics",
                "publics, séparés par des virgules",
                ("public",),
                export="publics",
                export_label="codes des publics, séparés par « | »",
            ),
        ),
        Field(
            "modalites",
            ListOf(Choice(tuple(MODALITES), "modalité", labels=MODALITES)),
            "Modalités d'accueil.",
            example=["sur-place", "telephone"],
            column=Column(
                "modalites",
                "modalités : " + ", ".join(MODALITES),
                ("modalités d'accueil",),
                export="modalites",
                export_label="modalités d'accueil, séparées par « | »",
            ),
        ),
        Field(
            "sur_rendez_vous",
            Bool(),
            "Accueil uniquement sur rendez-vous.",
            default=False,
            column=Column(
                "sur_rendez_vous",
                "uniquement sur rendez-vous (oui/non)",
                ("rendez-vous", "RDV", "sur RDV"),
                export="sur_rendez_vous",
                export_label="oui ou non",
            ),
        ),
        Field(
            "horaires",
            OpeningHours(max_length=500),
            "Horaires d'ouverture (syntaxe OpenStreetMap : jours Mo Tu We Th Fr Sa "
            "Su, heures HH:MM, PH off pour fermé les jours fériés) ; une plage qui continue après minuit finit au-delà de "
            "24:00 (22:00-26:00).",
            example="Mo-Fr 09:00-12:30,13:30-17:00; PH off",
            column=Column(
                "horaires",
                "horaires au format OpenStreetMap, ex. Mo-Fr 09:00-12:30,13:30-17:00; PH off",
                ("horaires d'ouverture",),
                export="horaires",
                export_label="horaires au format OpenStreetMap",
            ),
        ),
        Field("fermetures", ListOf(FERMETURE, unique=False), "Fermetures temporaires (congés, travaux)."),
        Field("contact", CONTACT, "Coordonnées de contact."),
        Field("accessibilite", ACCESSIBILITE, "Accessibilité du lieu."),
        Field("label", LABEL, "Label régional, s'il a été attribué."),
        Field(
            "description",
            long_text,
            "Présentation du lieu pour le public.",
            column=Column("description", "présentation pour le public", ("présentation",)),
        ),
        Field(
            "verifie_le",
            Date(not_future=True),
            "Date à laquelle une personne a vérifié cette fiche.",
            required=True,
            example="2026-10-15",
            column=Column(
                "verifie_le",
                "date de vérification (par défaut : aujourd'hui)",
                ("vérifié", "date de vérification"),
                export="verifie_le",
                export_label="date de dernière vérification",
                required=False,
            ),
        ),
    ),
)


def _event_dates_in_order(values: dict, reader: Reader, path: str) -> None:
    start, end = values.get("date"), values.get("date_fin")
    if start and end and end < start:
        reader.report_field(
            "date_fin", f"la date de fin ({end.isoformat()}) précède la date de début ({start.isoformat()})"
        )
    hours = values.get("heures")
    if hours:
        opens, closes = hours.split("-")
        if closes <= opens:
            reader.report_field("heures", f"« {hours} » : l'heure de fin doit suivre l'heure de début")


def _event_has_one_place(values: dict, reader: Reader, path: str) -> None:
    given = [name for name in ("lieu", "emplacement") if name in reader.positions]  # written, even if invalid
    if len(given) == 2:
        reader.report_field(
            "emplacement", "indiquez soit « lieu » (un lieu de l'annuaire), soit « emplacement », pas les deux"
        )
    elif not given and not values.get("en_ligne"):
        reader.diagnostics.append(
            Diagnostic(
                reader.path,
                *reader.at(path),
                "lieu",
                "où a lieu l'événement ? Indiquez « lieu » (identifiant d'un lieu de "
                "l'annuaire), « emplacement » (nom et adresse) ou « en_ligne: true »",
            )
        )


EMPLACEMENT = Struct(
    title="Emplacement",
    fields=(
        Field(
            "nom",
            short_text,
            "Nom de l'endroit : salle, parc des expositions, établissement.",
            required=True,
            example="Parc des expositions de Noron",
        ),
        Field("voie", short_text, "Numéro et voie.", example="Boulevard Salvador Allende"),
        Field(
            "code_postal",
            postal_code,
            "Code postal (5 chiffres), l'un de ceux de la commune.",
            required=True,
            example="79000",
        ),
        Field(
            "commune",
            short_text,
            "Nom de la commune (orthographe officielle de data/communes.csv ; majuscules, accents, "
            "tirets, apostrophes et « St » sont tolérés).",
            required=True,
            example="Niort",
        ),
        Field(
            "code_insee",
            insee_code,
            "Code INSEE de la commune (différent du code postal) ; facultatif : il est trouvé "
            "d'après la commune et le code postal.",
            example="79191",
        ),
    ),
)

EVENEMENT = Struct(
    title="Événement",
    rules=(_id_matches_file, _event_dates_in_order, _event_has_one_place, _publics_alone),
    fields=(
        Field("id", identifier, "Identifiant ; facultatif, il doit alors être égal au nom du fichier."),
        Field(
            "titre", short_text, "Titre de l'événement.", required=True, example="Forum de l'emploi et de l'orientation"
        ),
        Field(
            "type",
            Choice(tuple(TYPES_EVENEMENT), "type d'événement", labels=TYPES_EVENEMENT),
            "Nature de l'événement.",
            required=True,
            example="forum",
        ),
        Field("date", Date(), "Premier (ou seul) jour.", required=True, example="2027-03-12"),
        Field("date_fin", Date(), "Dernier jour, pour un événement de plusieurs jours (inclus)."),
        Field(
            "heures",
            Text(
                max_length=11,
                pattern=r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d",
                pattern_message="heures attendues sous la forme 09:00-17:00",
                label="heures HH:MM-HH:MM",
            ),
            "Heures d'ouverture, chaque jour de l'événement ; sans heures, l'événement dure toute la journée.",
            example="09:00-17:00",
        ),
        Field(
            "lieu",
            Code("lieux", "lieu"),
            "Lieu d'accueil de l'annuaire où il se tient (nom de son fichier, sans .yaml).",
            example="mission-locale-niort",
        ),
        Field("emplacement", EMPLACEMENT, "Endroit où il se tient, s'il n'est pas un lieu de l'annuaire."),
        Field("en_ligne", Bool(), "Événement à distance (en ligne).", default=False),
        Field(
            "bassin",
            Code("bassins", "bassin"),
            "Bassin d'emploi concerné ; facultatif si « lieu » ou « emplacement » est "
            "indiqué (c'est alors celui de sa commune).",
            example="niort",
        ),
        Field(
            "publics",
            ListOf(Code("publics", "public"), min_items=1),
            "Publics attendus (clés de data/publics.yaml) ; « tous-publics » s'emploie seul.",
            required=True,
            example=["tous-publics"],
        ),
        Field(
            "organisateur", short_text, "Organisateur affiché au public.", example="France Travail et la Mission locale"
        ),
        Field("lien", https_url, "Page d'inscription ou de présentation (https://)."),
        Field("description", long_text, "Présentation pour le public : programme, exposants, inscription."),
    ),
)

LIEN = Struct(
    title="Lien",
    fields=(
        Field("titre", short_text, "Texte du lien.", required=True),
        Field("url", https_url, "Adresse (https://).", required=True),
    ),
)

METIER = Struct(
    title="Fiche métier",
    rules=(_id_matches_file,),
    fields=(
        Field(
            "code",
            Text(
                max_length=5,
                pattern=formats.ROME_CODE,
                pattern_message="code ROME attendu : une lettre et 4 chiffres (ex. K2111)",
            ),
            "Code ROME ; facultatif, il doit alors être égal au nom du fichier.",
        ),
        Field("intitule", short_text, "Intitulé du métier.", required=True, example="Aide à domicile"),
        Field("secteur", short_text, "Secteur d'activité.", required=True, example="Services à la personne"),
        Field("description", long_text, "En quoi consiste le métier.", required=True),
        Field("acces", long_text, "Comment y accéder : diplômes, formations, VAE.", required=True),
        Field("bassins", ListOf(Code("bassins", "bassin")), "Bassins d'emploi où le métier recrute."),
        Field("reseaux", ListOf(Code("reseaux", "réseau")), "Réseaux qui peuvent renseigner sur ce métier."),
        Field("liens", ListOf(LIEN, unique=False), "Liens utiles."),
    ),
)

BASSIN = Struct(
    title="Bassin d'emploi",
    rules=(_id_matches_file,),
    fields=(
        Field("code", identifier, "Code du bassin ; facultatif, il doit alors être égal au nom du fichier."),
        Field("nom", short_text, "Nom du bassin d'emploi.", required=True, example="Bassin de Poitiers"),
        Field(
            "departements",
            ListOf(departement, min_items=1),
            "Départements de ses communes.",
            required=True,
            example=["86"],
        ),
        Field("description", long_text, "Présentation du bassin."),
        Field(
            "communes",
            ListOf(insee_code, min_items=1, max_items=2000),
            'Codes INSEE de ses communes, un par ligne (le nom en commentaire : - "86194"  # Poitiers) ; noms et codes '
            "postaux viennent de data/communes.csv. Chaque commune de la Région est dans un seul bassin.",
            required=True,
            example=["86194", "86041"],
        ),
    ),
)

SERVICE = Struct(
    title="Service",
    fields=(
        Field(
            "nom",
            short_text,
            "Nom du service pour le public.",
            required=True,
            example="Conseil en évolution professionnelle",
        ),
        Field("nom_court", Text(max_length=40), "Nom court pour les filtres et badges.", required=True, example="CEP"),
        Field("resume", Text(max_length=300), "Une phrase de présentation.", required=True),
        Field("description", long_text, "Présentation détaillée pour le public.", required=True),
        Field("pour_qui", long_text, "Qui peut en bénéficier.", required=True),
        Field(
            "thematiques_data_inclusion",
            ListOf(
                Text(
                    max_length=120,
                    pattern=r"[a-z0-9-]+--[a-z0-9-]+",
                    pattern_message="thématique data·inclusion attendue (ex. choisir-un-metier--confirmer-son-choix-de-metier)",
                )
            ),
            "Thématiques data·inclusion correspondantes.",
            required=True,
        ),
        Field(
            "type_data_inclusion",
            Choice(TYPES_SERVICE_DATA_INCLUSION, "type de service"),
            "Type de service data·inclusion.",
            required=True,
        ),
    ),
)


def _former_names_differ(values: dict, reader: Reader, path: str) -> None:
    current = search_fold(values.get("nom") or "")
    for index, former in enumerate(values.get("anciens_noms") or [], start=1):
        if search_fold(former) == current:
            reader.report_field(
                f"{path}.anciens_noms[{index}]",
                f"« {former} » est le nom actuel du réseau : retirez-le des anciens noms",
            )


RESEAU = Struct(
    title="Réseau",
    rules=(_former_names_differ,),
    fields=(
        Field("nom", short_text, "Nom du réseau.", required=True, example="Mission locale"),
        Field(
            "anciens_noms",
            ListOf(short_text, max_items=10),
            "Noms que le réseau a portés et que le public emploie encore : « Trouver un lieu » les reconnaît.",
            example=["Pôle emploi"],
        ),
        Field("description", long_text, "Présentation du réseau pour le public.", required=True),
        Field("site", https_url, "Site national du réseau.", required=True),
        Field("operateur_cep", Bool(), "Opérateur du conseil en évolution professionnelle.", required=True),
        Field(
            "reseau_porteur_data_inclusion",
            Text(max_length=80, pattern=formats.IDENTIFIER, pattern_message="code data·inclusion attendu"),
            "Code « reseaux_porteurs » data·inclusion, s'il existe.",
        ),
        Field(
            "type_service_public",
            Text(max_length=60, pattern=r"[a-z_]+", pattern_message="code de l'annuaire Service-Public attendu"),
            "Type de l'annuaire local de Service-Public.fr, s'il existe.",
        ),
    ),
)

PUBLIC = Struct(
    title="Public",
    fields=(
        Field("nom", short_text, "Nom du public.", required=True, example="Jeunes de 16 à 25 ans"),
        Field("description", long_text, "Précisions."),
        Field(
            "public_data_inclusion",
            Choice(PUBLICS_DATA_INCLUSION, "code data·inclusion"),
            "Code « publics » data·inclusion correspondant ; obligatoire si la clé n'en est pas un.",
        ),
    ),
)

EMPRISE = Struct(
    title="Emprise",
    fields=(
        Field("sud", Number(-90, 90), "Latitude minimale.", required=True),
        Field("nord", Number(-90, 90), "Latitude maximale.", required=True),
        Field("ouest", Number(-180, 180), "Longitude minimale.", required=True),
        Field("est", Number(-180, 180), "Longitude maximale.", required=True),
    ),
)

GEOCODAGE = Struct(
    title="Géocodage",
    retired={
        "url": "l'adresse du géocodeur ne se règle plus dans les données (une pull request pourrait la détourner) : "
        "retirez cette ligne ; les mainteneurs la règlent par la variable SPRO_GEOCODER_URL ou spro geocode --geocodeur",
    },
    fields=(
        Field(
            "score_minimal",
            Number(0, 1),
            "Score en dessous duquel une position est signalée comme approximative.",
            default=0.6,
        ),
    ),
)

CARTE = Struct(
    title="Carte",
    fields=(
        Field(
            "tuiles",
            Text(
                max_length=500,
                check=formats.check_tile_url,
                label="modèle d'adresse https:// de tuiles avec {z}, {x} et {y}",
                json_format="uri-template",
            ),
            "Modèle d'adresse des tuiles (https, avec {z}, {x}, {y}, et {s} si le serveur en a plusieurs). Par défaut : Plan IGN "
            "(Géoplateforme).",
            example="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        ),
        Field(
            "attribution",
            Text(
                max_length=200,
                check=formats.check_attribution,
                label="texte, avec au plus un lien écrit [texte](https://…)",
            ),
            "Mention à afficher sur la carte pour ces tuiles : du texte, avec au plus un lien écrit [texte](https://…).",
            example="© [les contributeurs d'OpenStreetMap](https://www.openstreetmap.org/copyright)",
        ),
    ),
)

SITE = Struct(
    title="Configuration du site",
    fields=(
        Field("region", short_text, "Nom de la Région.", required=True, example="Poitou-Charentes"),
        Field(
            "departements",
            ListOf(departement, min_items=1, max_items=20),
            "Départements de la Région : data/communes.csv (écrit par « spro communes ») en contient toutes les communes.",
            required=True,
            example=["16", "17", "79", "86"],
        ),
        Field("titre", short_text, "Titre du site.", required=True),
        Field("label", short_text, "Nom du label régional.", required=True, example="Orientation Poitou-Charentes"),
        Field("depot", https_url, "Adresse du dépôt (liens « Modifier cette fiche »).", required=True),
        Field(
            "branche",
            Text(max_length=100, pattern=r"[A-Za-z0-9._/-]+", pattern_message="nom de branche git attendu"),
            "Branche publiée du dépôt.",
            required=True,
            example="main",
        ),
        Field("demonstration", Bool(), "Données de démonstration : affiche un bandeau sur le site.", required=True),
        Field(
            "courriel_signalement",
            Text(max_length=254, check=formats.check_email, label="adresse électronique", json_format="email"),
            "Adresse où le public signale une erreur sur une fiche sans compte GitHub (lien « par courriel »).",
            example="annuaire@orientation.exemple.fr",
        ),
        Field("emprise", EMPRISE, "Rectangle qui contient la Région (contrôle des coordonnées).", required=True),
        Field("geocodage", GEOCODAGE, "Réglages du géocodage des adresses."),
        Field("carte", CARTE, "Fond de carte (facultatif)."),
    ),
)


def _synonym_has_a_target(values: dict, reader: Reader, path: str) -> None:
    targets = ("services", "publics", "reseaux")
    refused = any(d.field.startswith(f"{path}.{name}") for d in reader.diagnostics for name in targets)
    if not any(values.get(name) for name in targets) and not refused and "mots" in values:  # (refused: already told)
        reader.report_field(
            path,
            "ces mots ne mènent à rien : indiquez au moins un service (services), un public "
            "(publics) ou un réseau (reseaux)",
        )


def _synonym_words_are_searchable(values: dict, reader: Reader, path: str) -> None:
    for index, words in enumerate(values.get("mots") or [], start=1):
        if not search_words(words):
            reader.report_field(
                f"{path}.mots[{index}]",
                f"« {words} » ne contient aucun mot que la recherche retient "
                "(lettres ou chiffres, hors mots comme « de », « la », « pour »)",
            )


SYNONYME = Struct(
    title="Synonymes",
    rules=(_synonym_has_a_target, _synonym_words_are_searchable),
    fields=(
        Field(
            "mots",
            ListOf(Text(max_length=60), min_items=1, max_items=40),
            "Mots ou expressions que le public tape (majuscules, accents et tirets indifférents).",
            required=True,
            example=["reconversion", "changer de métier"],
        ),
        Field(
            "services",
            ListOf(Code("services", "service")),
            "Services que ces mots désignent (clés de data/services.yaml).",
            example=["cep"],
        ),
        Field(
            "publics",
            ListOf(Code("publics", "public")),
            "Publics que ces mots désignent (clés de data/publics.yaml).",
            example=["jeunes"],
        ),
        Field(
            "reseaux",
            ListOf(Code("reseaux", "réseau")),
            "Réseaux que ces mots désignent (clés de data/reseaux.yaml).",
            example=["transitions-pro"],
        ),
    ),
)

SERVICES = MapOf(SERVICE)
RESEAUX = MapOf(RESEAU)
PUBLICS = MapOf(PUBLIC)
SYNONYMES = MapOf(SYNONYME)
"""data/synonymes.yaml: the words people use (« chômage », « reconversion ») and what they designate, for the finder."""
