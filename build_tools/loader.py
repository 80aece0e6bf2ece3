"""Load the ``data/`` directory: read every file, apply the contract and the cross-file rules.

``load_dataset`` never stops at the first problem: it reads everything it can and returns
every diagnostic, plus the model built from the records that passed (only complete when the
report has no error).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import formats, records
from .contract import INVALID, Kind, Reader, suggestion
from .diagnostics import Diagnostic, Report, Severity, display_path
from .model import (
    Accessibilite, Adresse, Bassin, Commune, Contact, Dataset, Emplacement, Emprise, Evenement, Fermeture, Lien, Lieu,
    Metier, Public, Reseau, Service, Site,
)
from .geocache import CACHE_FILE_NAME, GeocodeCache
from .outlines import MAX_OUTLINE_BYTES, read_outline
from .safe_files import UnsafePath, entry_problem, read_regular
from .text import fold, slug  # noqa: F401 -- slug: re-exported for the tools that import it from here
from .yaml_source import MAX_FILE_BYTES, read_yaml

REFERENCE_FILES = {
    "site.yaml": records.SITE,
    "services.yaml": records.SERVICES,
    "reseaux.yaml": records.RESEAUX,
    "publics.yaml": records.PUBLICS,
}
FOLDERS = {"lieux": records.LIEU, "metiers": records.METIER, "bassins": records.BASSIN, "evenements": records.EVENEMENT}
REQUIRED_FOLDERS = ("lieux", "bassins")
OUTLINE_SUFFIX = ".geojson"
_FILE_NAMES = {
    "lieux": (re.compile(formats.IDENTIFIER), "lettres minuscules sans accent, chiffres et tirets, par exemple mission-locale-poitiers.yaml"),
    "bassins": (re.compile(formats.IDENTIFIER), "lettres minuscules sans accent, chiffres et tirets, par exemple poitiers.yaml"),
    "metiers": (re.compile(formats.ROME_CODE), "code ROME, par exemple K2111.yaml"),
    "evenements": (re.compile(formats.IDENTIFIER), "lettres minuscules sans accent, chiffres et tirets, par exemple "
                                                   "2027-03-forum-emploi-niort.yaml"),
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
                add(Diagnostic(self._display(directory), 0, 0, "", "dossier manquant : créez-le (il contient un fichier par "
                                                                   f"{'lieu' if folder == 'lieux' else 'bassin'})"))
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
            problem = entry_problem(path)
            if problem:
                add(Diagnostic(shown, 0, 0, "", problem))
            elif path.name.startswith("."):
                add(Diagnostic(shown, 0, 0, "", "fichier caché : l'annuaire ne le lit pas, retirez-le ou renommez-le"))
            elif path.is_dir():
                add(Diagnostic(shown, 0, 0, "", f"dossier inattendu : les fichiers vont directement dans data/{folder}/"))
            elif folder == "bassins" and path.suffix == OUTLINE_SUFFIX:
                if not (directory / f"{path.stem}.yaml").exists():
                    add(Diagnostic(shown, 0, 0, "", f"contour sans bassin : data/bassins/{path.stem}.yaml n'existe pas"))
            elif path.suffix != ".yaml":
                add(Diagnostic(shown, 0, 0, "", "extension « .yaml » attendue pour un fichier de données"))
            elif not pattern.fullmatch(path.stem):
                add(Diagnostic(shown, 0, 0, "", f"nom de fichier invalide : {example}"))
            else:
                files.append(path)
        return files

    def _check_top_level(self) -> None:
        """Every entry of ``data/`` is a file or folder the annuaire reads."""
        if not self.root.is_dir() or entry_problem(self.root):
            self.report.add(Diagnostic(self._display(self.root), 0, 0, "", "dossier de données introuvable, ou lien symbolique"))
            return
        expected = {*REFERENCE_FILES, CACHE_FILE_NAME, *FOLDERS}
        for path in sorted(self.root.iterdir()):
            if path.name in expected:
                continue
            problem = entry_problem(path)
            if problem is None:
                guess = suggestion(path.name, FOLDERS if path.is_dir() else [*REFERENCE_FILES, CACHE_FILE_NAME])
                what = "dossier" if path.is_dir() else "fichier"
                problem = (f"{what} que l'annuaire ne lit pas.{guess} Les fiches vont dans data/lieux/, data/bassins/, "
                           "data/metiers/ ou data/evenements/")
            self.report.add(Diagnostic(self._display(path), 0, 0, "", problem))

    # -- the whole dataset ---------------------------------------------------------------------

    def load(self) -> Dataset | None:
        self._check_top_level()
        site, services, reseaux, publics = (self._reference(name) for name in REFERENCE_FILES)
        self._read_geocache(site)
        bassins = self._bassins(site)
        # A table that failed to load is left out rather than emptied, so that one broken
        # reference file does not make every record that cites it fail too.
        references = {
            "services": services, "reseaux": reseaux, "publics": publics,
            "bassins": {path.stem: None for path in self._folder_files("bassins", report=False)},
            "lieux": {path.stem: None for path in self._folder_files("lieux", report=False)},
        }
        lieux = self._lieux(references, bassins, site)
        metiers = self._metiers(references)
        evenements = self._evenements(references, bassins, lieux)
        if site is None or None in (services, reseaux, publics):
            return None
        return Dataset(
            site=site,
            services={k: Service(code=k, **_tuples(v)) for k, v in services.items()},
            reseaux={k: Reseau(code=k, **v) for k, v in sorted(reseaux.items())},
            publics={k: Public(code=k, **v) for k, v in publics.items()},
            bassins=dict(sorted(bassins.items())),
            lieux=dict(sorted(lieux.items())),
            metiers=dict(sorted(metiers.items())),
            evenements=dict(sorted(evenements.items(), key=lambda item: (item[1].date, item[0]))),
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
        if not self._flush(read):
            return None
        if name == "site.yaml":
            values = dict(read.values)
            geocodage = values.pop("geocodage", {})
            carte = values.pop("carte", {})
            emprise = Emprise(**values.pop("emprise"))
            return Site(**values, emprise=emprise, score_minimal=geocodage.get("score_minimal", 0.6),
                        tuiles=carte.get("tuiles"), attribution_tuiles=carte.get("attribution"))
        return read.values

    @staticmethod
    def _check_publics_map_to_data_inclusion(read: _Read) -> None:
        """Each public is a data·inclusion code or names one, so that the open-data export is valid."""
        for code, public in read.values.items():
            if code not in records.PUBLICS_DATA_INCLUSION and "public_data_inclusion" not in public:
                read.reader.report_field(code, "ce public n'est pas un code data·inclusion : indiquez son équivalent dans "
                                               "« public_data_inclusion »." + suggestion(code, records.PUBLICS_DATA_INCLUSION))

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

    def _bassins(self, site: Site | None) -> dict[str, Bassin]:
        bassins: dict[str, Bassin] = {}
        owner: dict[str, str] = {}
        for path in self._folder_files("bassins"):
            read = self._read(path, records.BASSIN)
            if read is None:
                continue
            communes = []
            for index, commune in enumerate(read.values.get("communes", ()), start=1):
                if not _complete(commune, records.COMMUNE):
                    continue
                previous = owner.setdefault(commune["code_insee"], path.stem)
                if previous != path.stem:
                    read.reader.report_field(
                        f"communes[{index}].code_insee",
                        f"commune {commune['code_insee']} déjà rattachée au bassin « {previous} »",
                    )
                communes.append(Commune(commune["code_insee"], commune["nom"], tuple(commune["codes_postaux"])))
            if not self._flush(read):
                continue
            contour = path.with_suffix(OUTLINE_SUFFIX)
            outline = self._outline(contour, site)
            bassins[path.stem] = Bassin(
                code=path.stem, nom=read.values["nom"], departements=tuple(read.values["departements"]),
                communes=tuple(communes), source=read.path, description=read.values.get("description"),
                contour=self._display(contour) if outline else None, outline=outline,
            )
        return bassins

    def _lieux(self, references, bassins: dict[str, Bassin], site: Site | None) -> dict[str, Lieu]:
        lieux: dict[str, Lieu] = {}
        by_address: dict[tuple, str] = {}
        for path in self._folder_files("lieux"):
            read = self._read(path, records.LIEU, references)
            if read is None:
                continue
            self._check_lieu_geography(read, bassins, site)
            self._check_duplicate_address(read, by_address)
            if not self._flush(read):
                continue
            lieux[path.stem] = _lieu(path.stem, read)
        return lieux

    def _evenements(self, references, bassins: dict[str, Bassin], lieux: dict[str, Lieu]) -> dict[str, Evenement]:
        evenements = {}
        for path in self._folder_files("evenements"):
            read = self._read(path, records.EVENEMENT, references)
            if read is None:
                continue
            values, reader = read.values, read.reader
            lieu = lieux.get(values.get("lieu"))
            if lieu and values.get("bassin") and values["bassin"] != lieu.bassin:
                reader.report_field("bassin", f"le lieu « {lieu.id} » est dans le bassin « {lieu.bassin} » : "
                                              "corrigez le bassin ou retirez cette ligne")
            if "bassin" not in values and "lieu" not in values and "bassin" not in reader.positions:
                reader.report_field("bassin", "champ obligatoire quand « lieu » n'est pas indiqué")
            emplacement = values.get("emplacement") or {}
            bassin = bassins.get(values.get("bassin"))
            if bassin and {"code_insee", "code_postal"} <= emplacement.keys():
                self._check_commune_in_bassin(reader, "emplacement", emplacement, bassin)
            last_day = values.get("date_fin") or values.get("date")
            if isinstance(last_day, dt.date) and records.is_stale(last_day, self.today):
                reader.report_field("date", "événement passé depuis plus d'un an : vous pouvez supprimer ce fichier",
                                    Severity.WARNING)
            if not self._flush(read) or (lieu is None and "lieu" in values):
                continue
            evenements[path.stem] = _evenement(path.stem, read, lieu)
        return evenements

    def _check_commune_in_bassin(self, reader: Reader, path: str, adresse: dict, bassin: Bassin) -> None:
        insee = adresse["code_insee"]
        commune = next((c for c in bassin.communes if c.code_insee == insee), None)
        if commune is None:
            reader.report_field(
                f"{path}.code_insee",
                f"la commune {insee} ({adresse.get('commune', '?')}) n'appartient pas au bassin « {bassin.code} » "
                f"({bassin.nom}) : corrigez le bassin ou ajoutez la commune à {bassin.source}",
            )
        elif adresse["code_postal"] not in commune.codes_postaux:
            reader.report_field(
                f"{path}.code_postal",
                f"le code postal {adresse['code_postal']} n'est pas celui de {commune.nom} "
                f"({', '.join(commune.codes_postaux)})",
            )

    def _check_lieu_geography(self, read: _Read, bassins: dict[str, Bassin], site: Site | None) -> None:
        values, reader = read.values, read.reader
        adresse = values.get("adresse") or {}
        bassin = bassins.get(values.get("bassin"))
        if bassin and {"code_insee", "code_postal"} <= adresse.keys():
            self._check_commune_in_bassin(reader, "adresse", adresse, bassin)
        coordonnees = values.get("coordonnees")
        if site and coordonnees and {"lat", "lon"} <= coordonnees.keys():
            if not site.emprise.contient(coordonnees["lat"], coordonnees["lon"]):
                reader.report_field(
                    "coordonnees",
                    f"position ({coordonnees['lat']}, {coordonnees['lon']}) hors de la Région {site.region} : "
                    "latitude et longitude inversées ?",
                )

    def _check_duplicate_address(self, read: _Read, by_address: dict[tuple, str]) -> None:
        adresse = read.values.get("adresse") or {}
        if not {"voie", "code_insee"} <= adresse.keys() or "reseau" not in read.values:
            return
        key = address_key(read.values["reseau"], adresse["voie"], adresse["code_insee"])
        first = by_address.get(key)
        if first:
            read.reader.report_field("adresse.voie", f"même adresse et même réseau que {first} : ce lieu semble en double")
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
        self.loader = DataLoader(Path("."), today)
        self.references = {"services": dataset.services, "reseaux": dataset.reseaux, "publics": dataset.publics,
                           "bassins": dataset.bassins, "lieux": dataset.lieux}
        self.by_address = {address_key(l.reseau, l.adresse.voie, l.adresse.code_insee): l.source for l in dataset.lieux.values()}
        self.by_source = {l.source: l for l in dataset.lieux.values()}

    def lieu_at(self, reseau: str | None, voie: str | None, code_insee: str | None) -> Lieu | None:
        """The lieu of this network at this address, if there is one (the duplicate-address rule's index)."""
        if not (reseau and voie and code_insee):
            return None
        return self.by_source.get(self.by_address.get(address_key(reseau, voie, code_insee)))

    def check(self, identifier: str, text: str, shown: str, replaces: str | None = None) -> tuple[Lieu | None, list[Diagnostic]]:
        """The lieu and no diagnostics, or None and what is wrong. ``replaces``: the file it updates, if any."""
        self.loader.report = Report()
        read = self.loader._read_bytes(text.encode("utf-8"), shown, records.LIEU, self.references)
        if read is None:
            return None, self.loader.report.diagnostics
        self.loader._check_lieu_geography(read, self.dataset.bassins, self.dataset.site)
        addresses = {key: path for key, path in self.by_address.items() if path != replaces}
        self.loader._check_duplicate_address(read, addresses)
        ok = self.loader._flush(read)
        diagnostics = self.loader.report.diagnostics
        if not ok:
            return None, diagnostics
        self.by_address = addresses  # now holding this candidate's address
        return _lieu(identifier, read), diagnostics


def address_key(reseau: str, voie: str, code_insee: str) -> tuple[str, str, str]:
    """Two lieux of one network with this key are the same place."""
    return reseau, fold(voie), code_insee


def _complete(values: dict, struct) -> bool:
    return all(f.name in values for f in struct.fields if f.required)


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
        id=identifier, titre=v["titre"], type=v["type"], date=v["date"], date_fin=v.get("date_fin"),
        heures=tuple(v["heures"].split("-")) if "heures" in v else None,
        lieu=v.get("lieu"), emplacement=Emplacement(**emplacement) if emplacement else None,
        en_ligne=v.get("en_ligne", False), bassin=v.get("bassin") or lieu.bassin, publics=tuple(v["publics"]),
        organisateur=v.get("organisateur"), lien=v.get("lien"), description=v.get("description"), source=read.path,
    )


def load_dataset(root: Path, today: dt.date | None = None) -> tuple[Dataset | None, Report]:
    loader = DataLoader(root, today)
    dataset = loader.load()
    return dataset, loader.report
