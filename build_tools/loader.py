"""Load the ``data/`` directory: read every file, apply the contract and the cross-file rules.

``load_dataset`` never stops at the first problem: it reads everything it can and returns
every diagnostic, plus the model built from the records that passed (only complete when the
report has no error).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from . import formats, records
from .contract import INVALID, Kind, Reader, closest, suggestion
from .diagnostics import Diagnostic, Report, Severity, display_path
from .gazetteer import (
    COMMUNES_FILE,
    DELEGUEES_FILE,
    Gazetteer,
    GazetteerFiles,
    departement_of,
    nearest,
    read_gazetteer,
)
from .geocache import CACHE_FILE_NAME, GeocodeCache
from .model import (
    Bassin,
    Commune,
    Dataset,
    Evenement,
    Lieu,
    Metier,
    Public,
    Reseau,
    Service,
    Site,
    Synonyme,
)
from .outlines import MAX_OUTLINE_BYTES, read_outline
from .place_rules import check_duplicate_address, check_lieu_geography, event_commune, unknown_code
from .read_cache import ReadCache, tables_seen
from .record_model import from_values
from .safe_files import UnsafePath, entry_problem, is_real_dir, read_regular
from .text import fold, search_fold, slug
from .two_cores import map_in_two
from .yaml_source import MAX_FILE_BYTES, read_yaml

SUGGESTED_UNASSIGNED = 50
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
class Read:
    """A file read against its contract: the values that passed and where each field was."""

    path: str
    values: dict
    reader: Reader


class DataLoader:
    def __init__(
        self, root: Path, today: dt.date | None = None, display_root: Path | None = None, reuse_reads: bool = False
    ):
        self.root = Path(root)
        self.today = today or dt.date.today()
        self.display_root = display_root if display_root is not None else self.root.parent
        self.reuse_reads = reuse_reads
        """Whether the lieu files read by an earlier load are taken again when unchanged (:mod:`.read_cache`; the
        project is ``display_root``)."""
        self.report = Report()
        self.unassigned: list[Diagnostic] = []
        """The « in no basin » errors (``spro bassins repartir`` fixes those)."""
        self.geocache = GeocodeCache(self.root / CACHE_FILE_NAME)
        """The geocoding cache, once :meth:`load` has read it (its problems are in the report)."""
        self._listings: dict[str, tuple[list[Path], list[Diagnostic]]] = {}
        self._shown: dict[Path, str] = {}

    # -- reading -----------------------------------------------------------------------------

    def _display(self, path: Path) -> str:
        if path not in self._shown:
            self._shown[path] = display_path(path, self.display_root)
        return self._shown[path]

    def _read(self, path: Path, kind: Kind, references=None) -> Read | None:
        """Read one file against ``kind``. Its diagnostics stay on the reader until :meth:`_flush`."""
        data = self._bytes(path, MAX_FILE_BYTES)
        return None if data is None else self._read_bytes(data, self._display(path), kind, references)

    def _read_many(self, paths: list[Path], kind: Kind, kind_name: str, references=None) -> list[Read | None]:
        """:meth:`_read` of each path: taken from :mod:`.read_cache` when read before, the others on two cores
        (:func:`~build_tools.two_cores.map_in_two`: each file is read and checked on its own; what involves several
        files comes after, in one process). Each file is checked against the tables its kind names, and these only
        (:func:`~.read_cache.tables_seen`): what its cache key holds."""
        tables = tables_seen(kind, references)
        cache = ReadCache.of(self.display_root, kind_name, self.today, tables) if self.reuse_reads else None
        readings: list[tuple[Read | None, list[Diagnostic]] | None] = []
        unread: list[tuple[int, str, bytes, str | None]] = []
        for path in paths:
            try:
                data = read_regular(self.root, path, MAX_FILE_BYTES)
            except UnsafePath as exc:
                readings.append((None, [Diagnostic(self._display(path), 0, 0, "", str(exc))]))
                continue
            shown = self._display(path)
            key = cache.key(shown, data) if cache is not None else None
            readings.append(cache.get(key) if key is not None else None)
            if readings[-1] is None:
                unread.append((len(readings) - 1, shown, data, key))

        def read_one(item: tuple[int, str, bytes, str | None]) -> bytes:
            _, shown, data, _ = item
            read, problems = read_record(data, shown, kind, self.today, tables)
            if read is not None:
                read.reader.references = None  # (the same for every file: neither kept nor sent back by the child)
            return pickle.dumps((read, problems))

        pickled = map_in_two(read_one, unread)
        places = [(index, key) for index, _, _, key in unread]
        del unread  # (the files' bytes: 60 MB at 30,000 lieux, not kept beside their readings)
        for number, (index, key) in enumerate(places):
            reading, pickled[number] = pickled[number], b""
            if cache is not None:
                cache.put(key, reading)
            readings[index] = pickle.loads(reading)
        if cache is not None:
            cache.done()
        reads = []
        for read, problems in readings:
            self.report.extend(problems)
            if read is not None:
                read.reader.references = references
            reads.append(read)
        return reads

    def _bytes(self, path: Path, max_bytes: int) -> bytes | None:
        """The file's bytes (links and special files refused), or None after reporting why."""
        try:
            return read_regular(self.root, path, max_bytes)
        except UnsafePath as exc:
            self.report.add(Diagnostic(self._display(path), 0, 0, "", str(exc)))
            return None

    def _read_bytes(self, data: bytes, shown: str, kind: Kind, references=None) -> Read | None:
        read, problems = read_record(data, shown, kind, self.today, references)
        self.report.extend(problems)
        return read

    def _flush(self, read: Read) -> bool:
        """Move the file's diagnostics to the report; True when the record is usable.

        A missing required field is itself an error, so an error-free record is complete.
        """
        self.report.extend(read.reader.diagnostics)
        return not has_errors(read.reader.diagnostics)

    def _folder_files(self, folder: str, report: bool = True) -> list[Path]:
        """The data files of ``data/<folder>``; with ``report``, every other entry is an error. (Listed once: the lieux
        are listed for the references, then read.)"""
        if folder not in self._listings:
            self._listings[folder] = self._list_folder(folder)
        files, problems = self._listings[folder]
        if report:
            self.report.extend(problems)
        return files

    def _list_folder(self, folder: str) -> tuple[list[Path], list[Diagnostic]]:
        directory = self.root / folder
        problems: list[Diagnostic] = []
        add = problems.append
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
            return [], problems
        problem = entry_problem(directory)
        if problem is None and not directory.is_dir():
            problem = "un dossier est attendu ici, pas un fichier"
        if problem:
            add(Diagnostic(self._display(directory), 0, 0, "", problem))
            return [], problems
        pattern, example = _FILE_NAMES[folder]
        files = []
        shown_folder = self._display(directory)
        for path in sorted(directory.iterdir(), key=lambda entry: entry.name):  # (one folder: as Paths sort, faster)
            shown = self._shown.setdefault(path, f"{shown_folder}/{path.name}")  # (as _display shows it, sooner)
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
        return files, problems

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

    def _check_top_level(self) -> bool:
        """Every entry of ``data/`` is a file or folder the annuaire reads; False when data/ itself is not a
        folder (nothing else is then reported: each file would be « missing »)."""
        if not self.root.is_dir() or entry_problem(self.root, check_name=False):
            if self.root.is_symlink():
                what = "lien symbolique refusé : indiquez le dossier des données lui-même"
            elif self.root.exists():
                what = "ce n'est pas un dossier : indiquez le dossier des données (--data)"
            else:
                what = "dossier de données introuvable (--data)"
            self.report.add(Diagnostic(self._display(self.root), 0, 0, "", what))
            return False
        expected = {*TOP_LEVEL_FILES, *FOLDERS}
        for path in sorted(self.root.iterdir()):
            if path.name in expected:
                continue
            problem = entry_problem(path)
            if problem is None:
                problem = self._unread_entry(path)
            self.report.add(Diagnostic(self._display(path), 0, 0, "", problem))
        return True

    # -- the whole dataset ---------------------------------------------------------------------

    def read_site(self) -> Site | None:
        """data/site.yaml alone (``spro communes`` needs the departments before any gazetteer exists)."""
        return self._reference("site.yaml")

    def load(self) -> Dataset | None:
        if not self._check_top_level():
            return None
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
            services={k: from_values(Service, v, code=k) for k, v in services.items()},
            reseaux={k: from_values(Reseau, v, code=k) for k, v in sorted(reseaux.items())},
            publics={k: from_values(Public, v, code=k) for k, v in publics.items()},
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
            return from_values(Site, read.values)
        return read.values

    @staticmethod
    def _check_publics_map_to_data_inclusion(read: Read) -> None:
        """Each public is a data·inclusion code or names one, so that the open-data export is valid."""
        for code, public in read.values.items():
            if code not in records.PUBLICS_DATA_INCLUSION and "public_data_inclusion" not in public:
                read.reader.report_field(
                    code,
                    "ce public n'est pas un code data·inclusion : indiquez son équivalent dans "
                    "« public_data_inclusion »." + suggestion(code, records.PUBLICS_DATA_INCLUSION),
                )

    @staticmethod
    def _check_network_names_are_distinct(read: Read) -> None:
        """A former name designates one network: not another network's name, nor another's former name."""
        owner = {search_fold(reseau.get("nom", "")): code for code, reseau in read.values.items()}
        for code, reseau in read.values.items():
            for index, former in enumerate(reseau.get("anciens_noms", ()), start=1):
                key = search_fold(former)
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
        return {code: from_values(Synonyme, values, code=code) for code, values in read.values.items()}

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
        lists: dict[str, tuple[list[str], Read]] = {}
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
            bassins[code] = from_values(
                Bassin,
                read.values,
                code=code,
                communes=tuple(members),
                source=read.path,
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
        self, read: Read, code: str, lookup: Gazetteer, owner: dict[str, tuple[str, str]]
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
        paths = self._folder_files("lieux")
        geocache_shown = self._display(self.geocache.path)
        for path, read in zip(paths, self._read_many(paths, records.LIEU, "lieux", references)):
            if read is None:
                continue
            check_lieu_geography(read.reader, read.values, gazetteer, site, self.geocache, geocache_shown)
            check_duplicate_address(read.reader, read.values, by_address)
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
            commune = event_commune(reader, values.get("emplacement"), gazetteer)
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

    def _metiers(self, references) -> dict[str, Metier]:
        metiers = {}
        for path in self._folder_files("metiers"):
            read = self._read(path, records.METIER, references)
            if read is None or not self._flush(read):
                continue
            metiers[path.stem] = from_values(Metier, read.values, code=path.stem, source=read.path)
        return metiers


def read_record(
    data: bytes, shown: str, kind: Kind, today: dt.date, references=None
) -> tuple[Read | None, list[Diagnostic]]:
    """A file's bytes read against its contract (``shown``: its path in messages): what passed, with its reader,
    whose diagnostics wait for the cross-file rules to add theirs; or None. And the problems found so far."""
    source, problems = read_yaml(data, shown)
    if source.root is None:
        return None, problems
    reader = Reader(shown, today, references)
    values = kind.read(source.root, reader, "")
    if values is INVALID:
        return None, problems + reader.diagnostics
    return Read(shown, values, reader), problems


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def _lieu(identifier: str, read: Read) -> Lieu:
    return from_values(Lieu, read.values, id=identifier, source=read.path)


def _evenement(identifier: str, read: Read, lieu: Lieu | None) -> Evenement:
    v = read.values
    return from_values(
        Evenement,
        v,
        id=identifier,
        source=read.path,
        bassin=v.get("bassin") or lieu.bassin,
        heures=tuple(v["heures"].split("-")) if "heures" in v else None,
    )


def load_dataset(root: Path, today: dt.date | None = None) -> tuple[Dataset | None, Report]:
    loader = DataLoader(root, today)
    dataset = loader.load()
    return dataset, loader.report
