"""Load the ``data/`` directory: read every file, apply the contract and the cross-file rules.

``load_dataset`` never stops at the first problem: it reads everything it can and returns
every diagnostic, plus the model built from the records that passed (only complete when the
report has no error).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import formats, records
from .contract import INVALID, Kind, Reader, closest, suggestion
from .diagnostics import Diagnostic, Report, Severity, display_path
from .gazetteer import (
    COMMUNES_FILE,
    DELEGUEES_FILE,
    TYPES_DELEGUEE,
    Gazetteer,
    GazetteerFiles,
    departement_of,
    listed,
    nearest,
    read_gazetteer,
)
from .geo import distance_km
from .geocache import CACHE_FILE_NAME, GeocodeCache, address_text, cache_key
from .model import (
    Accessibilite,
    Adresse,
    Bassin,
    Commune,
    Contact,
    Dataset,
    Emplacement,
    Emprise,
    Evenement,
    Fermeture,
    Lien,
    Lieu,
    Metier,
    Public,
    Reseau,
    Service,
    Site,
    Synonyme,
)
from .outlines import MAX_OUTLINE_BYTES, read_outline
from .safe_files import UnsafePath, entry_problem, is_real_dir, read_regular
from .text import fold, slug  # noqa: F401 (slug: part of this module's interface, used by the generators)
from .text import search_fold as fold_words
from .yaml_source import MAX_FILE_BYTES, read_yaml

SUGGESTED_UNASSIGNED = 50
MAX_KM_FROM_COMMUNE = 20
"""How far from its commune's centre a lieu may be (the demo's farthest is 3.7 km; the largest communes of
the territory are about 15 km across)."""
"""Beyond this many communes in no basin, messages stop naming the nearest basin (it costs a distance scan each)."""

REFERENCE_FILES = {
    "site.yaml": records.SITE,
    "services.yaml": records.SERVICES,
    "reseaux.yaml": records.RESEAUX,
    "publics.yaml": records.PUBLICS,
}
OPTIONAL_FILES = {"synonymes.yaml": records.SYNONYMES}
"""Reference files a Région may leave out (without synonyms, the finder knows only the data's own words)."""
FOLDERS = {"lieux": records.LIEU, "metiers": records.METIER, "bassins": records.BASSIN, "evenements": records.EVENEMENT}
REQUIRED_FOLDERS = ("lieux", "bassins")
OUTLINE_SUFFIX = ".geojson"
TOP_LEVEL_FILES = (*REFERENCE_FILES, *OPTIONAL_FILES, COMMUNES_FILE, DELEGUEES_FILE, CACHE_FILE_NAME)
_FILE_NAMES = {
    "lieux": (
        re.compile(formats.IDENTIFIER),
        "lettres minuscules sans accent, chiffres et tirets, par exemple mission-locale-poitiers.yaml",
    ),
    "bassins": (
        re.compile(formats.IDENTIFIER),
        "lettres minuscules sans accent, chiffres et tirets, par exemple poitiers.yaml",
    ),
    "metiers": (re.compile(formats.ROME_CODE), "code ROME, par exemple K2111.yaml"),
    "evenements": (
        re.compile(formats.IDENTIFIER),
        "lettres minuscules sans accent, chiffres et tirets, par exemple 2027-03-forum-emploi-niort.yaml",
    ),
}


@dataclass
class _Read:
    """A file read against its contract: the values that passed and where each field was."""

    path: str
    values: dict
    reader: Reader


class DataLoader:
    def __init__(self, root: Path, today: dt.date | None = None, display_root: Path | None = None):
        self.root = Path(root)
        self.today = today or dt.date.today()
        self.display_root = display_root if display_root is not None else self.root.parent
        self.report = Report()
        self.unassigned: list[Diagnostic] = []
        """The « in no basin » errors (``spro bassins repartir`` fixes those)."""
        self.geocache = GeocodeCache(self.root / CACHE_FILE_NAME)
        """The geocoding cache, once :meth:`load` has read it (its problems are in the report)."""

    # -- reading -----------------------------------------------------------------------------

    def _display(self, path: Path) -> str:
        return display_path(path, self.display_root)

    def _read(self, path: Path, kind: Kind, references=None) -> _Read | None:
        """Read one file against ``kind``. Its diagnostics stay on the reader until :meth:`_flush`."""
        data = self._bytes(path, MAX_FILE_BYTES)
        return None if data is None else self._read_bytes(data, self._display(path), kind, references)

    def _bytes(self, path: Path, max_bytes: int) -> bytes | None:
        """The file's bytes (links and special files refused), or None after reporting why."""
        try:
            return read_regular(self.root, path, max_bytes)
        except UnsafePath as exc:
            self.report.add(Diagnostic(self._display(path), 0, 0, "", str(exc)))
            return None

    def _read_bytes(self, data: bytes, shown: str, kind: Kind, references=None) -> _Read | None:
        source, problems = read_yaml(data, shown)
        self.report.extend(problems)
        if source.root is None:
            return None
        reader = Reader(shown, self.today, references)
        values = kind.read(source.root, reader, "")
        if values is INVALID:
            self.report.extend(reader.diagnostics)
            return None
        return _Read(shown, values, reader)

    def _flush(self, read: _Read) -> bool:
        """Move the file's diagnostics to the report; True when the record is usable.

        A missing required field is itself an error, so an error-free record is complete.
        """
        self.report.extend(read.reader.diagnostics)
        return not _has_errors(read.reader.diagnostics)

    def _folder_files(self, folder: str, report: bool = True) -> list[Path]:
        """The data files of ``data/<folder>``; with ``report``, every other entry is an error."""
        directory = self.root / folder
        add = self.report.add if report else (lambda diagnostic: None)
        if not directory.exists() and not directory.is_symlink():
            if folder in REQUIRED_FOLDERS:
                add(
                    Diagnostic(
                        self._display(directory),
                        0,
                        0,
                        "",
                        "dossier manquant : créez-le (il contient un fichier par "
                        f"{'lieu' if folder == 'lieux' else 'bassin'})",
                    )
                )
            return []
        problem = entry_problem(directory)
        if problem is None and not directory.is_dir():
            problem = "un dossier est attendu ici, pas un fichier"
        if problem:
            add(Diagnostic(self._display(directory), 0, 0, "", problem))
            return []
        pattern, example = _FILE_NAMES[folder]
        files = []
        for path in sorted(directory.iterdir()):
            shown = self._display(path)
            problem = entry_problem(path, check_name=path.suffix not in (".yaml", OUTLINE_SUFFIX))
            if problem:
                add(Diagnostic(shown, 0, 0, "", problem))
            elif path.name.startswith("."):
                add(Diagnostic(shown, 0, 0, "", "fichier caché : l'annuaire ne le lit pas, retirez-le ou renommez-le"))
            elif path.is_dir():
                add(
                    Diagnostic(
                        shown, 0, 0, "", f"dossier inattendu : les fichiers vont directement dans data/{folder}/"
                    )
                )
            elif folder == "bassins" and path.suffix == OUTLINE_SUFFIX:
                if not (directory / f"{path.stem}.yaml").exists():
                    add(
                        Diagnostic(shown, 0, 0, "", f"contour sans bassin : data/bassins/{path.stem}.yaml n'existe pas")
                    )
            elif path.suffix != ".yaml":
                add(Diagnostic(shown, 0, 0, "", "extension « .yaml » attendue pour un fichier de données"))
            elif not pattern.fullmatch(path.stem):
                renamed = slug(path.stem) if folder != "metiers" else path.stem.upper()
                fix = f" : renommez-le « {renamed}.yaml »" if pattern.fullmatch(renamed) else ""
                add(Diagnostic(shown, 0, 0, "", f"nom de fichier invalide ({example}){fix}"))
            else:
                files.append(path)
        return files

    @staticmethod
    def _unread_entry(path: Path) -> str:
        """Why an entry of data/ is not read, and where it probably belongs."""
        where = (
            "Les fiches vont dans data/lieux/, data/bassins/, data/metiers/ ou data/evenements/ (un fichier par fiche)"
        )
        if path.is_dir():
            return f"dossier que l'annuaire ne lit pas.{suggestion(path.name, FOLDERS)} {where}"
        folder = closest(path.stem, FOLDERS, cutoff=0.75)
        if folder:
            return f"fichier que l'annuaire ne lit pas : les fiches de ce type vont dans data/{folder}/, un fichier par fiche"
        named = closest(path.stem, [Path(name).stem for name in TOP_LEVEL_FILES], cutoff=0.75)
        guess = f" Vouliez-vous dire « {next(n for n in TOP_LEVEL_FILES if Path(n).stem == named)} » ?" if named else ""
        return f"fichier que l'annuaire ne lit pas.{guess} {where}"

    def _is_folder(self, folder: str) -> bool:
        """``data/<folder>`` is a real folder (else it is reported once, and left out of the cross-file checks)."""
        return is_real_dir(self.root / folder)

    def _check_top_level(self) -> None:
        """Every entry of ``data/`` is a file or folder the annuaire reads."""
        if not self.root.is_dir() or entry_problem(self.root, check_name=False):
            self.report.add(
                Diagnostic(self._display(self.root), 0, 0, "", "dossier de données introuvable, ou lien symbolique")
            )
            return
        expected = {*TOP_LEVEL_FILES, *FOLDERS}
        for path in sorted(self.root.iterdir()):
            if path.name in expected:
                continue
            problem = entry_problem(path)
            if problem is None:
                problem = self._unread_entry(path)
            self.report.add(Diagnostic(self._display(path), 0, 0, "", problem))

    # -- the whole dataset ---------------------------------------------------------------------

    def read_site(self) -> Site | None:
        """data/site.yaml alone (``spro communes`` needs the departments before any gazetteer exists)."""
        return self._reference("site.yaml")

    def load(self) -> Dataset | None:
        self._check_top_level()
        site, services, reseaux, publics = (self._reference(name) for name in REFERENCE_FILES)
        self._read_geocache(site)
        files, problems = read_gazetteer(
            self.root, self._display, site.emprise if site else None, site.departements if site else None
        )
        self.report.extend(problems)
        bassins, gazetteer = self._bassins(files, site)
        # A table that failed to load is left out rather than emptied, so that one broken
        # reference file does not make every record that cites it fail too (a broken gazetteer
        # leaves the addresses unchecked: its own errors say what to fix first).
        references = {
            "services": services,
            "reseaux": reseaux,
            "publics": publics,
            **{
                folder: {path.stem: None for path in self._folder_files(folder, report=False)}
                if self._is_folder(folder)
                else None
                for folder in ("bassins", "lieux")
            },
        }
        lieux = self._lieux(references, gazetteer, site)
        synonymes = self._synonymes(references)
        metiers = self._metiers(references)
        evenements = self._evenements(references, gazetteer, lieux)
        if site is None or None in (services, reseaux, publics):
            return None
        return Dataset(
            site=site,
            services={k: Service(code=k, **_tuples(v)) for k, v in services.items()},
            reseaux={k: Reseau(code=k, **_tuples(v)) for k, v in sorted(reseaux.items())},
            publics={k: Public(code=k, **v) for k, v in publics.items()},
            bassins=dict(sorted(bassins.items())),
            lieux=dict(sorted(lieux.items())),
            metiers=dict(sorted(metiers.items())),
            evenements=dict(sorted(evenements.items(), key=lambda item: (item[1].date, item[0]))),
            communes=gazetteer.communes if gazetteer else {},
            communes_deleguees=gazetteer.deleguees if gazetteer else {},
            synonymes=synonymes,
        )

    def _read_geocache(self, site: Site | None) -> None:
        path = self.root / CACHE_FILE_NAME
        self.geocache, problems = GeocodeCache.load(path, site.emprise if site else None, self._display(path))
        self.report.extend(problems)

    def _reference(self, name: str):
        path = self.root / name
        if not path.exists() and not path.is_symlink():
            self.report.add(Diagnostic(self._display(path), 0, 0, "", "fichier de référence manquant"))
            return None
        read = self._read(path, REFERENCE_FILES[name])
        if read is None:
            return None
        if name == "publics.yaml":
            self._check_publics_map_to_data_inclusion(read)
        if name == "reseaux.yaml":
            self._check_network_names_are_distinct(read)
        if not self._flush(read):
            return None
        if name == "site.yaml":
            values = dict(read.values)
            geocodage = values.pop("geocodage", {})
            carte = values.pop("carte", {})
            emprise = Emprise(**values.pop("emprise"))
            return Site(
                **_tuples(values),
                emprise=emprise,
                score_minimal=geocodage.get("score_minimal", 0.6),
                tuiles=carte.get("tuiles"),
                attribution_tuiles=carte.get("attribution"),
            )
        return read.values

    @staticmethod
    def _check_publics_map_to_data_inclusion(read: _Read) -> None:
        """Each public is a data·inclusion code or names one, so that the open-data export is valid."""
        for code, public in read.values.items():
            if code not in records.PUBLICS_DATA_INCLUSION and "public_data_inclusion" not in public:
                read.reader.report_field(
                    code,
                    "ce public n'est pas un code data·inclusion : indiquez son équivalent dans "
                    "« public_data_inclusion »." + suggestion(code, records.PUBLICS_DATA_INCLUSION),
                )

    @staticmethod
    def _check_network_names_are_distinct(read: _Read) -> None:
        """A former name designates one network: not another network's name, nor another's former name."""
        owner = {fold_words(reseau.get("nom", "")): code for code, reseau in read.values.items()}
        for code, reseau in read.values.items():
            for index, former in enumerate(reseau.get("anciens_noms", ()), start=1):
                key = fold_words(former)
                if owner.setdefault(key, code) != code:
                    read.reader.report_field(
                        f"{code}.anciens_noms[{index}]",
                        f"« {former} » désigne déjà le réseau « {owner[key]} » : un nom ne peut mener qu'à un réseau",
                    )

    def _synonymes(self, references) -> dict[str, Synonyme]:
        """data/synonymes.yaml, checked against the reference tables (absent: no synonyms)."""
        path = self.root / "synonymes.yaml"
        if not path.exists() and not path.is_symlink():
            return {}
        read = self._read(path, OPTIONAL_FILES["synonymes.yaml"], references)
        if read is None or not self._flush(read):
            return {}
        return {code: Synonyme(code=code, **_tuples(values)) for code, values in read.values.items()}

    def _outline(self, path: Path, site: Site | None):
        """The validated outline beside a basin file, or None (absent, or refused and reported)."""
        if not path.exists() and not path.is_symlink() or entry_problem(path):
            return None  # absent, or a link or special file (reported with the folder's entries)
        data = self._bytes(path, MAX_OUTLINE_BYTES)
        if data is None:
            return None
        outline, problems = read_outline(data, self._display(path), site.emprise if site else None)
        self.report.extend(problems)
        return outline

    def _bassins(self, files: GazetteerFiles | None, site: Site | None) -> tuple[dict[str, Bassin], Gazetteer | None]:
        """The basins, and the gazetteer with each commune's basin joined (None when the gazetteer is broken).

        A basin lists INSEE codes; every commune of the gazetteer must be in exactly one basin.
        """
        lookup = Gazetteer(files.communes, files.deleguees) if files else None
        owner: dict[str, tuple[str, str]] = {}  # INSEE code -> (basin, file)
        lists: dict[str, tuple[list[str], _Read]] = {}
        complete = self._is_folder(
            "bassins"
        )  # every basin file's list was read: only then is a commune in no basin reported
        for path in self._folder_files("bassins"):
            read = self._read(path, records.BASSIN)
            if (
                read is None
                or "communes" not in read.values
                or any(d.field.startswith("communes") for d in read.reader.diagnostics if d.is_error)
            ):
                complete = False  # (item errors would shift the positions of the messages below)
            elif lookup is not None and not self._check_basin_communes(read, path.stem, lookup, owner):
                complete = False  # an unknown code is most likely the commune that would be reported in no basin
            if read is not None and self._flush(read):
                lists[path.stem] = (read.values["communes"], read)
        if lookup is None:
            return {}, None
        if complete:
            self._report_unassigned(files, owner)
        communes = {
            code: dataclasses.replace(c, bassin=owner[code][0]) if code in owner else c
            for code, c in files.communes.items()
        }
        bassins = {}
        for code, (listed_codes, read) in lists.items():
            members = sorted(
                (communes[c] for c in listed_codes if c in communes), key=lambda c: (fold(c.nom), c.code_insee)
            )
            contour = self.root / "bassins" / f"{code}{OUTLINE_SUFFIX}"
            outline = self._outline(contour, site)
            bassins[code] = Bassin(
                code=code,
                nom=read.values["nom"],
                departements=tuple(read.values["departements"]),
                communes=tuple(members),
                source=read.path,
                description=read.values.get("description"),
                contour=self._display(contour) if outline else None,
                outline=outline,
            )
        if complete:
            self._check_outlines_hold_their_communes(bassins, communes)
        return bassins, Gazetteer(communes, files.deleguees)

    def _check_outlines_hold_their_communes(self, bassins: dict[str, Bassin], communes: dict[str, Commune]) -> None:
        """An outline is the union of its communes (``spro communes``): it holds their centres and no other basin's."""
        outlines = {code: b.outline.as_geojson() for code, b in bassins.items() if b.outline is not None}
        if not outlines:
            return
        from .geometry import misplaced_centres  # shapely: only when there are outlines to check

        centres = {code: (c.lon, c.lat, c.bassin) for code, c in communes.items() if c.bassin}
        for code, (missing, foreign) in misplaced_centres(outlines, centres).items():

            def names(codes: list[str]) -> str:
                return ", ".join(communes[c].nom for c in codes[:3]) + ("…" if len(codes) > 3 else "")

            what = []
            if missing:
                what.append(f"ne contient pas le centre de {len(missing)} de ses communes ({names(missing)})")
            if foreign:
                what.append(f"contient le centre de {len(foreign)} communes d'autres bassins ({names(foreign)})")
            self.report.add(
                Diagnostic(
                    bassins[code].contour,
                    0,
                    0,
                    "",
                    f"ce contour {' et '.join(what)} : il ne "
                    "correspond pas au bassin ; régénérez les contours avec « spro communes »",
                )
            )

    def _check_basin_communes(
        self, read: _Read, code: str, lookup: Gazetteer, owner: dict[str, tuple[str, str]]
    ) -> bool:
        """Report unknown codes, communes already in another basin and wrong departments; False on an unknown code."""
        reader = read.reader
        known = True
        for index, insee in enumerate(read.values["communes"], start=1):
            commune = lookup.communes.get(insee)
            if commune is None:
                reader.report_field(f"communes[{index}]", unknown_code(insee, lookup))
                known = False
                continue
            first = owner.setdefault(insee, (code, read.path))
            if first[0] != code:
                reader.report_field(
                    f"communes[{index}]",
                    f"commune {insee} ({commune.nom}) déjà rattachée au bassin "
                    f"« {first[0]} » ({first[1]}) : une commune n'appartient qu'à un "
                    "bassin, retirez-la de l'un des deux",
                )
        found = {departement_of(c) for c in read.values["communes"] if c in lookup.communes}
        declared = set(read.values.get("departements", ()))
        if "departements" in read.values and found and found != declared:
            missing, extra = sorted(found - declared), sorted(declared - found)
            parts = (
                [f"ajoutez {', '.join(missing)} (départements de certaines de ses communes)"] if missing else []
            ) + ([f"retirez {', '.join(extra)} (aucune de ses communes n'y est)"] if extra else [])
            reader.report_field(
                "departements", "départements différents de ceux de ses communes : " + " ; ".join(parts)
            )
        return known

    def _report_unassigned(self, files: GazetteerFiles, owner: dict[str, tuple[str, str]]) -> None:
        missing = [code for code in files.communes if code not in owner]
        for code in missing:
            commune = files.communes[code]
            hint = ""
            if owner and len(missing) <= SUGGESTED_UNASSIGNED:
                neighbour = nearest(commune, (files.communes[c] for c in owner))
                hint = f" (par exemple {owner[neighbour.code_insee][1]}, le bassin de sa voisine {neighbour.nom})"
            diagnostic = Diagnostic(
                files.shown,
                files.lines[code],
                1,
                "code_insee",
                f'la commune {code} ({commune.nom}) n\'est dans aucun bassin : ajoutez « - "{code}"  # '
                f"{commune.nom} » à la liste « communes » d'un bassin{hint}, ou lancez "
                "« spro bassins repartir »",
            )
            self.unassigned.append(diagnostic)
            self.report.add(diagnostic)

    def _lieux(self, references, gazetteer: Gazetteer | None, site: Site | None) -> dict[str, Lieu]:
        lieux: dict[str, Lieu] = {}
        by_address: dict[tuple, str] = {}
        for path in self._folder_files("lieux"):
            read = self._read(path, records.LIEU, references)
            if read is None:
                continue
            self._check_lieu_geography(read, gazetteer, site)
            self._check_duplicate_address(read, by_address)
            if not self._flush(read):
                continue
            lieux[path.stem] = _lieu(path.stem, read)
        return lieux

    def _evenements(self, references, gazetteer: Gazetteer | None, lieux: dict[str, Lieu]) -> dict[str, Evenement]:
        evenements = {}
        for path in self._folder_files("evenements"):
            read = self._read(path, records.EVENEMENT, references)
            if read is None:
                continue
            values, reader = read.values, read.reader
            lieu = lieux.get(values.get("lieu"))
            if lieu and values.get("bassin") and values["bassin"] != lieu.bassin:
                reader.report_field(
                    "bassin",
                    f"le lieu « {lieu.id} » est dans le bassin « {lieu.bassin} » : "
                    "corrigez le bassin ou retirez cette ligne",
                )
            if not {"bassin", "lieu", "emplacement"} & reader.positions.keys():
                reader.report_field("bassin", "champ obligatoire quand ni « lieu » ni « emplacement » n'est indiqué")
            commune = self._event_commune(reader, values.get("emplacement"), gazetteer)
            if commune is not None and commune.bassin:
                if values.get("bassin") and values["bassin"] != commune.bassin:
                    reader.report_field(
                        "bassin",
                        f"la commune {commune.code_insee} ({commune.nom}) n'appartient pas au "
                        f"bassin « {values['bassin']} » : elle est dans le bassin "
                        f"« {commune.bassin} » ; corrigez le bassin ou retirez cette ligne",
                    )
                values.setdefault("bassin", commune.bassin)
            last_day = values.get("date_fin") or values.get("date")
            if isinstance(last_day, dt.date) and records.is_stale(last_day, self.today):
                reader.report_field(
                    "date", "événement passé depuis plus d'un an : vous pouvez supprimer ce fichier", Severity.WARNING
                )
            emplacement = values.get("emplacement")
            placed = (lieu is not None or "bassin" in values) and (emplacement is None or "code_insee" in emplacement)
            if (
                not self._flush(read) or (lieu is None and "lieu" in values) or not placed
            ):  # (placed: unless the gazetteer is broken)
                continue
            evenements[path.stem] = _evenement(path.stem, read, lieu)
        return evenements

    def _event_commune(self, reader: Reader, emplacement: dict | None, gazetteer: Gazetteer | None) -> Commune | None:
        """The commune of an event's ``emplacement``: checked when its INSEE code is written, else found from
        the commune's name and postal code (and written into the values)."""
        if not emplacement or gazetteer is None:
            return None
        if "code_insee" in emplacement:
            return self._check_address(reader, "emplacement", emplacement, gazetteer)
        if not {"commune", "code_postal"} <= emplacement.keys():
            return None
        found = gazetteer.resolve(emplacement["commune"], emplacement["code_postal"])
        if found.commune is None:
            reader.report_field(f"emplacement.{found.key}", found.reason)
            return None
        emplacement.update(code_insee=found.commune.code_insee, commune=found.commune.nom)
        return found.commune

    def _check_address(self, reader: Reader, path: str, adresse: dict, gazetteer: Gazetteer) -> Commune | None:
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
            message = (
                f"le code postal {postal_code} n'est pas celui de {commune.nom} ({', '.join(commune.codes_postaux)})"
            )
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

    def _check_lieu_geography(self, read: _Read, gazetteer: Gazetteer | None, site: Site | None) -> None:
        values, reader = read.values, read.reader
        adresse = values.get("adresse") or {}
        commune = self._check_address(reader, "adresse", adresse, gazetteer) if gazetteer else None
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
            self._check_position_near_commune(reader, adresse, coordonnees, commune)

    def _check_position_near_commune(
        self, reader: Reader, adresse: dict, coordonnees: dict | None, commune: Commune
    ) -> None:
        """A lieu is placed in its commune: a manual position, or the cached geocoding of its address, more than
        MAX_KM_FROM_COMMUNE from the commune's centre moves it elsewhere on every map (and nothing else shows it)."""
        if coordonnees and {"lat", "lon"} <= coordonnees.keys():
            field, lat, lon = "coordonnees", coordonnees["lat"], coordonnees["lon"]
            what, fix = f"coordonnées ({lat}, {lon})", "corrigez-les, ou corrigez l'adresse"
        elif {"voie", "code_postal"} <= adresse.keys():
            query = address_text(adresse["voie"], adresse["code_postal"], commune.nom)
            entry = self.geocache.get(cache_key(query, commune.code_insee))
            if entry is None:
                return
            field, lat, lon = "adresse", entry.lat, entry.lon
            what = f"position en cache de cette adresse ({lat}, {lon}, {self._display(self.geocache.path)})"
            fix = "retirez sa ligne du cache et relancez « spro geocode », ou corrigez l'adresse"
        else:
            return
        distance = distance_km(lat, lon, commune.lat, commune.lon)
        if distance > MAX_KM_FROM_COMMUNE:
            reader.report_field(field, f"{what} à {distance:.0f} km du centre de {commune.nom} : {fix}")

    def _check_duplicate_address(self, read: _Read, by_address: dict[tuple, str]) -> None:
        adresse = read.values.get("adresse") or {}
        if not {"voie", "code_insee"} <= adresse.keys() or "reseau" not in read.values:
            return
        key = address_key(read.values["reseau"], adresse["voie"], adresse["code_insee"])
        first = by_address.get(key)
        if first:
            read.reader.report_field(
                "adresse.voie", f"même adresse et même réseau que {first} : ce lieu semble en double"
            )
        else:
            by_address[key] = read.path

    def _metiers(self, references) -> dict[str, Metier]:
        metiers = {}
        for path in self._folder_files("metiers"):
            read = self._read(path, records.METIER, references)
            if read is None or not self._flush(read):
                continue
            values = dict(read.values)
            values.pop("code", None)
            values["liens"] = tuple(Lien(**link) for link in values.get("liens", ()))
            metiers[path.stem] = Metier(code=path.stem, source=read.path, **_tuples(values))
        return metiers


class CandidateLieux:
    """Checks lieux not yet written (``spro new``, ``spro import``) against a loaded dataset.

    Same contract and cross-file rules as ``spro validate``; accepted candidates join the
    duplicate-address rule, so two rows of one import cannot describe the same place.
    """

    def __init__(self, dataset: Dataset, today: dt.date | None = None):
        self.dataset = dataset
        self.gazetteer = Gazetteer(dataset.communes, dataset.communes_deleguees)
        self.loader = DataLoader(Path("."), today)
        self.references = {
            "services": dataset.services,
            "reseaux": dataset.reseaux,
            "publics": dataset.publics,
            "bassins": dataset.bassins,
            "lieux": dataset.lieux,
        }
        self.by_address = {
            address_key(l.reseau, l.adresse.voie, l.adresse.code_insee): l.source for l in dataset.lieux.values()
        }
        self.keys_of: dict[str, list[tuple[str, str, str]]] = {}
        for key, source in self.by_address.items():
            self.keys_of.setdefault(source, []).append(key)
        self.by_source = {l.source: l for l in dataset.lieux.values()}

    def lieu_at(self, reseau: str | None, voie: str | None, code_insee: str | None) -> Lieu | None:
        """The lieu of this network at this address, if there is one (the duplicate-address rule's index)."""
        if not (reseau and voie and code_insee):
            return None
        return self.by_source.get(self.by_address.get(address_key(reseau, voie, code_insee)))

    def check(
        self, identifier: str, text: str | bytes, shown: str, replaces: str | None = None
    ) -> tuple[Lieu | None, list[Diagnostic]]:
        """The lieu and no diagnostics, or None and what is wrong (``text``: the file's text, or its bytes as read).
        ``replaces``: the file it updates, if any."""
        self.loader.report = Report()
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        read = self.loader._read_bytes(data, shown, records.LIEU, self.references)
        if read is None:
            return None, self.loader.report.diagnostics
        self.loader._check_lieu_geography(read, self.gazetteer, self.dataset.site)
        # The duplicate-address rule, without the address of the file it replaces (no copy of the index: an import
        # of 100,000 rows checks each against all the others in constant time).
        freed = [key for key in self.keys_of.get(replaces, ()) if self.by_address.get(key) == replaces]
        for key in freed:
            del self.by_address[key]
        self.loader._check_duplicate_address(read, self.by_address)  # (adds the candidate's address when new)
        adresse = read.values.get("adresse") or {}
        added = (
            address_key(read.values["reseau"], adresse["voie"], adresse["code_insee"])
            if {"voie", "code_insee"} <= adresse.keys() and "reseau" in read.values
            else None
        )
        mine = added is not None and self.by_address.get(added) == read.path
        ok = self.loader._flush(read)
        diagnostics = self.loader.report.diagnostics
        if not ok:
            if mine:
                del self.by_address[added]
            for key in freed:
                self.by_address[key] = replaces
            return None, diagnostics
        if mine:
            self.keys_of.setdefault(read.path, []).append(added)
        return _lieu(identifier, read), diagnostics


def address_key(reseau: str, voie: str, code_insee: str) -> tuple[str, str, str]:
    """Two lieux of one network with this key are the same place."""
    return reseau, fold(voie), code_insee


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


def _has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def _tuples(values: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def _lieu(identifier: str, read: _Read) -> Lieu:
    v = read.values
    coordonnees = v.get("coordonnees")
    return Lieu(
        id=identifier,
        nom=v["nom"],
        reseau=v["reseau"],
        structure=v.get("structure"),
        siret=v.get("siret"),
        adresse=Adresse(**v["adresse"]),
        bassin=v["bassin"],
        coordonnees=(coordonnees["lat"], coordonnees["lon"]) if coordonnees else None,
        services=tuple(v["services"]),
        publics=tuple(v["publics"]),
        modalites=tuple(v.get("modalites", ())),
        sur_rendez_vous=v.get("sur_rendez_vous", False),
        horaires=v.get("horaires"),
        fermetures=tuple(Fermeture(**f) for f in v.get("fermetures", ())),
        contact=Contact(**v.get("contact", {})),
        accessibilite=Accessibilite(**v.get("accessibilite", {})),
        label_depuis=(v.get("label") or {}).get("depuis"),
        description=v.get("description"),
        verifie_le=v["verifie_le"],
        source=read.path,
    )


def _evenement(identifier: str, read: _Read, lieu: Lieu | None) -> Evenement:
    v = read.values
    emplacement = v.get("emplacement")
    return Evenement(
        id=identifier,
        titre=v["titre"],
        type=v["type"],
        date=v["date"],
        date_fin=v.get("date_fin"),
        heures=tuple(v["heures"].split("-")) if "heures" in v else None,
        lieu=v.get("lieu"),
        emplacement=Emplacement(**emplacement) if emplacement else None,
        en_ligne=v.get("en_ligne", False),
        bassin=v.get("bassin") or lieu.bassin,
        publics=tuple(v["publics"]),
        organisateur=v.get("organisateur"),
        lien=v.get("lien"),
        description=v.get("description"),
        source=read.path,
    )


def load_dataset(root: Path, today: dt.date | None = None) -> tuple[Dataset | None, Report]:
    loader = DataLoader(root, today)
    dataset = loader.load()
    return dataset, loader.report
