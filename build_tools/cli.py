"""The ``spro`` command: a thin adapter over the package's functions, speaking French."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .contract import suggestion
from .diagnostics import Diagnostic, Report, Severity, display_path, printable, shown
from .loader import DataLoader
from .safe_files import os_error_fr
from .text import pluriel


def _print_report(report: Report, fmt: str, out=sys.stdout) -> None:
    for diagnostic in report.sorted():
        print(diagnostic.as_github() if fmt == "github" else diagnostic.as_text(), file=out)


def _selected_files(paths: list[str], repo_root: Path, roots: list[Path], report: Report) -> list[Path] | None:
    """The files named on the command line (folders expand to their files); None when none is named."""
    if not paths:
        return None
    selected = []
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            report.add(Diagnostic(display_path(path, repo_root), 0, 0, "", "fichier introuvable"))
            continue
        if not any(root.absolute() in (path.absolute(), *path.absolute().parents) for root in roots):
            folders = " ou ".join(f"« {display_path(root, repo_root)} »" for root in roots)
            report.add(Diagnostic(display_path(path, repo_root), 0, 0, "", f"fichier hors du dossier {folders}"))
            continue
        selected += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return selected


def _changed_since(revision: str, repo_root: Path, report: Report) -> set[str] | None:
    """The display paths of the files changed since ``revision`` (git), or None after reporting why not."""
    from .git_sources import GitError, changed_paths, toplevel

    try:
        root = toplevel(repo_root)
        return {display_path(root / name, repo_root) for name in changed_paths(root, revision)}
    except GitError as failed:
        report.add(Diagnostic("", 0, 0, "", f"--depuis : {failed}"))
        return None


def command_validate(args) -> int:
    from .docs_contract import check_docs
    from .generate import generated_paths

    data_root = Path(args.data)
    repo_root = data_root.resolve().parent
    loader = DataLoader(data_root, display_root=repo_root)
    dataset = loader.load()
    report = loader.report
    generated = generated_paths(dataset) if dataset is not None else None
    report.extend(check_docs(Path(args.docs), repo_root, loader.today, generated).diagnostics)
    selection_problems = Report()
    if args.depuis:
        if args.paths:
            print("Indiquez soit des chemins, soit --depuis, pas les deux.", file=sys.stderr)
            return 2
        changed = _changed_since(args.depuis, repo_root, selection_problems)
        if changed is None:
            _print_report(selection_problems, args.format)
            return 2
        # What the change's files say, and any error elsewhere: the base was valid, so an error in a file the
        # change did not touch is its consequence (an event naming a lieu that was deleted).
        report = Report([d for d in report.diagnostics if d.file in changed or d.is_error])
        folders = tuple(display_path(folder, repo_root) + "/" for folder in (data_root, Path(args.docs)))
        selected = {path for path in changed if path.startswith(folders)}
    else:
        named = _selected_files(args.paths, repo_root, [data_root, Path(args.docs)], selection_problems)
        selected = None if named is None else {display_path(p, repo_root) for p in named}
        if selected is not None:
            report = Report(selection_problems.diagnostics + report.only_files(selected).diagnostics)
    _print_report(report, args.format)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        files = len({d.file for d in report.errors})
        print(
            f"{pluriel(errors, 'erreur')} dans {pluriel(files, 'fichier')}"
            + (f", {pluriel(warnings, 'avertissement')}" if warnings else "")
            + ".",
            file=sys.stderr,
        )
        return 1
    if selected is not None:
        summary = f"{pluriel(len(selected), 'fichier')} vérifié{'s' if len(selected) > 1 else ''} : aucune erreur"
    elif dataset is not None:
        summary = (
            f"Données valides : {pluriel(len(dataset.lieux), 'lieu', 'lieux')}, {pluriel(len(dataset.bassins), 'bassin')}, "
            f"{len(dataset.metiers)} fiches métiers"
        )
    else:
        summary = "Données valides"
    if warnings:
        summary += f" ({pluriel(warnings, 'avertissement')})"
    print(summary + ".", file=sys.stderr)
    return 0


def command_schemas(args) -> int:
    from .field_reference import contributing_is_current, sections, update_contributing
    from .json_schemas import reference_codes, stale_schemas, write_schemas

    data_root = Path(args.data)
    repo_root = data_root.resolve().parent
    contributing = repo_root / "CONTRIBUTING.md"
    field_list = sections(reference_codes(data_root))
    if args.check:
        stale = list(stale_schemas(data_root, Path(args.output)))
        if contributing.exists() and not contributing_is_current(contributing, field_list):
            stale.append(contributing)
        report = Report(
            [
                Diagnostic(
                    display_path(path, repo_root),
                    0,
                    0,
                    "",
                    "n'est plus à jour (un service, un réseau, "
                    "un public ou un bassin a changé, ou le contrat) : lancez « spro schemas » et "
                    "ajoutez le résultat à la pull request",
                )
                for path in stale
            ]
        )
        _print_report(report, args.format)
        print(
            f"Schémas JSON et liste des champs : {'à jour' if not stale else pluriel(len(stale), 'fichier') + ' à régénérer'}.",
            file=sys.stderr,
        )
        return 1 if stale else 0
    written = write_schemas(data_root, Path(args.output))
    if contributing.exists() and update_contributing(contributing, field_list):
        written.append(contributing)
    for path in written:
        print(f"écrit : {path}", file=sys.stderr)
    print(f"Schémas JSON à jour ({len(written)} modifié{'s' if len(written) > 1 else ''}).", file=sys.stderr)
    return 0


def command_synthetic(args) -> int:
    import shutil
    import tempfile

    from .synthetic import generate

    target = Path(args.output)
    if target.exists() or target.is_symlink():
        print(f"Le dossier {target} existe déjà : choisissez un dossier nouveau.", file=sys.stderr)
        return 1
    if _load_valid_dataset(Path(args.data)) is None:  # (its problems are printed)
        return 1
    if args.lieux > MAX_SYNTHETIC_LIEUX:
        print(f"--lieux : au plus {MAX_SYNTHETIC_LIEUX} lieux.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:  # written aside, then renamed: an interrupted run leaves nothing behind
        generate(Path(args.data), work / "data", args.lieux, seed=args.graine)
        (work / "data").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Jeu de données synthétique de {args.lieux} lieux écrit dans {target}.", file=sys.stderr)
    return 0


MAX_SYNTHETIC_LIEUX = 200_000
"""Ten times the largest directory measured (benchmarks/scale.py): more would only fill the disk."""


def _load_valid_dataset(data_root: Path):
    """The dataset, or None after printing its errors (commands other than validate need clean data)."""
    loader = DataLoader(data_root, display_root=data_root.resolve().parent)
    dataset = loader.load()
    if loader.report.errors or dataset is None:
        _print_report(Report(loader.report.errors), "text", out=sys.stderr)
        print("Les données contiennent des erreurs : corrigez-les d'abord (spro validate).", file=sys.stderr)
        return None
    return dataset


def command_geocode(args) -> int:
    import time

    from .geocache import CACHE_FILE_NAME, GeocodeCache
    from .geocoder import Geocoder, Politeness, endpoint, endpoint_problem, geocode_missing
    from .positions import locate, requests_for

    data_root = Path(args.data)
    url = endpoint(args.geocodeur)
    problem = endpoint_problem(url)
    if problem:
        print(f"{'--geocodeur' if args.geocodeur else 'SPRO_GEOCODER_URL'} : {problem}", file=sys.stderr)
        return 2
    dataset = _load_valid_dataset(data_root)
    if dataset is None:
        return 1
    cache, problems = GeocodeCache.load(data_root / CACHE_FILE_NAME)
    _print_report(Report(problems), "text", out=sys.stderr)
    needed = requests_for(dataset)
    missing = [r for r in needed if cache.get(r.key) is None]
    print(
        f"Géocodage : {pluriel(len(needed), 'adresse')} nécessaire{'s' if len(needed) > 1 else ''}, "
        f"{len(needed) - len(missing)} en cache, {len(missing)} à géocoder."
    )
    failures = []
    if args.offline:
        for request in missing:
            print(f"  manquante : {request.used_by} : « {request.query} »")
    elif missing:
        geocoder = Geocoder(url, Politeness(total_budget=args.duree_max), bounds=dataset.site.emprise)
        started = time.monotonic()
        run = geocode_missing(dataset, cache, geocoder)
        elapsed = time.monotonic() - started
        failures = run.failures
        print(
            f"Géocodées : {len(run.geocoded)} ; échecs : {len(failures)} ; "
            f"{pluriel(geocoder.requests_sent, 'requête')} vers {geocoder.source} en {elapsed:.1f} s."
        )
        for failure in failures:
            print(f"  échec : {failure.request.used_by} : « {failure.request.query} » : {failure.reason}")
    geography = locate(dataset, cache)
    approximate = geography.approximate
    if approximate:
        print(
            f"Positions approximatives ({len(approximate)}) : score inférieur à {dataset.site.geocodage.score_minimal}, "
            "résultat limité à la rue ou à la commune, ou adresse non géocodée :"
        )
        for identifier in approximate:
            lieu = dataset.lieux[identifier]
            print(f"  {lieu.source} : {geography.positions[identifier].origine}")
    for identifier in geography.unplaced:
        print(f"  sans position : {dataset.lieux[identifier].source}")
    return 1 if failures else 0


def _kib(size: int) -> str:
    return f"{size / 1024:.1f}".replace(".", ",") + " Kio"


def _area(km2: float) -> str:
    return f"{km2:.2f}".replace(".", ",") + " km²"


def command_communes(args) -> int:
    from .commune_build import BuildRefused, write_gazetteer, write_outlines
    from .geo_reference import GeoReferenceError, JsonService, from_folder, from_service, service_url

    data_root = Path(args.data)
    repo_root = data_root.resolve().parent
    display = lambda path: display_path(path, repo_root)  # noqa: E731
    loader = DataLoader(data_root, display_root=repo_root)
    site = loader.read_site()
    if site is None:
        _print_report(loader.report, "text", out=sys.stderr)
        return 1
    try:
        if args.reference:
            reference = from_folder(Path(args.reference), list(site.departements))
        else:
            service = JsonService(service_url(args.url))
            print(
                f"Interrogation de {service.base_url} (départements {', '.join(site.departements)})…", file=sys.stderr
            )
            reference = from_service(service, list(site.departements))
        summary = write_gazetteer(data_root, reference, site, display)
    except GeoReferenceError as refused:
        print(f"Répertoire des communes non écrit : {refused}", file=sys.stderr)
        return 1
    except BuildRefused as refused:
        _print_report(Report(refused.problems), "text", out=sys.stderr)
        print(f"Répertoire des communes non écrit : {refused}.", file=sys.stderr)
        return 1
    sizes = ", ".join(f"{name} ({_kib(size)})" for name, size in summary.sizes.items())
    print(
        f"Répertoire des communes ({reference.source}) : {summary.communes} communes, {summary.deleguees} communes "
        f"déléguées ou associées : {sizes}."
    )
    loader = DataLoader(data_root, display_root=repo_root)
    dataset = loader.load()
    # The outlines themselves are what this command rewrites: only the basin files must be right.
    problems = [
        d
        for d in loader.report.errors
        if d not in loader.unassigned
        and d.file.startswith(display(data_root / "bassins"))
        and not d.file.endswith(".geojson")
    ]
    if dataset is None or problems:
        _print_report(Report(problems), "text", out=sys.stderr)
        print("Contours des bassins non écrits : corrigez d'abord les fichiers des bassins.", file=sys.stderr)
        return 1
    membership = {code: [c.code_insee for c in bassin.communes] for code, bassin in dataset.bassins.items()}
    try:
        outlines = write_outlines(data_root, reference, membership, args.tolerance)
    except BuildRefused as refused:
        print(f"Contours des bassins non écrits : {refused}.", file=sys.stderr)
        return 1
    if outlines.sizes:
        print(
            f"Contours des bassins (tolérance de simplification {args.tolerance}°) : {len(outlines.sizes)} fichiers, "
            f"{_kib(sum(outlines.sizes.values()))} en tout, le plus gros {_kib(max(outlines.sizes.values()))}."
        )
    for path in outlines.removed:
        print(f"  supprimé : {display(path)} (bassin disparu)")
    if outlines.coverage:
        c = outlines.coverage
        print(
            f"Couverture du territoire ({_area(c.territory)}) : {_area(c.missing)} hors de tout bassin, "
            f"{_area(c.outside)} de bassin hors du territoire (bord simplifié), {_area(c.overlap)} dans deux bassins, "
            f"{c.holes} trou(s)."
        )
    if loader.unassigned:
        print(
            f"{pluriel(len(loader.unassigned), 'commune')} dans aucun bassin : lancez « spro bassins repartir », "
            "puis à nouveau « spro communes ».",
            file=sys.stderr,
        )
        return 1
    return 0


def command_bassins_repartir(args) -> int:
    from .atomic import write_atomically
    from .basin_assignment import assign, basin_text, read_epcis
    from .geo_reference import GeoReferenceError

    data_root = Path(args.data)
    repo_root = data_root.resolve().parent
    loader = DataLoader(data_root, display_root=repo_root)
    dataset = loader.load()
    # Communes in no basin are what this command fixes, and outlines follow the basins (« spro communes » after it).
    problems = [d for d in loader.report.errors if d not in loader.unassigned and not d.file.endswith(".geojson")]
    if dataset is None or problems or not dataset.communes:
        _print_report(Report(problems), "text", out=sys.stderr)
        print("Répartition impossible : corrigez d'abord ces erreurs (spro validate).", file=sys.stderr)
        return 1
    placed = {c.code_insee: c.bassin for c in dataset.communes.values() if c.bassin}
    try:
        placements = assign(dataset.communes, placed, read_epcis(Path(args.reference), dataset.communes))
    except GeoReferenceError as refused:
        print(f"Répartition impossible : {refused}", file=sys.stderr)
        return 1
    for code, placement in placements.items():
        print(f"{code} {dataset.communes[code].nom} -> {placement.bassin} ({placement.reason})")
    changed = 0
    for code, bassin in dataset.bassins.items():
        added = [c for c, p in placements.items() if p.bassin == code]
        if not added:
            continue
        path = data_root / "bassins" / f"{code}.yaml"
        codes = [c.code_insee for c in bassin.communes] + added
        text = basin_text(path.read_text(encoding="utf-8"), codes, dataset.communes, display_path(path, repo_root))
        if not args.essai:
            write_atomically(path, text)
        changed += 1
    files = (
        pluriel(changed, "fichier de bassin à modifier", "fichiers de bassin à modifier")
        if args.essai
        else pluriel(changed, "fichier de bassin modifié", "fichiers de bassin modifiés")
    )
    print(
        f"{pluriel(len(placements), 'commune rattachée', 'communes rattachées')} ; {files}"
        + (" (essai : rien n'a été écrit)" if args.essai else "")
        + (" ; relancez « spro communes » pour les contours." if changed and not args.essai else "."),
        file=sys.stderr,
    )
    return 0


def command_build(args) -> int:
    from .build_messages import build_diagnostic
    from .mkdocs_adapter.build import build_site
    from .pipeline import BuildFailed, InvalidSources
    from .site_output import SiteNotWritten, UnsafeSiteDir

    config_file = Path(args.config)
    if not config_file.exists():
        print(f"Fichier de configuration introuvable : {config_file}", file=sys.stderr)
        return 1

    def annotate(message: str) -> bool:
        """A warning of the build becomes an annotation on its file and line (printed instead of the log line)."""
        diagnostic = build_diagnostic(message, Path(args.docs).resolve(), config_file, config_file.resolve().parent)
        print(diagnostic.as_github(), flush=True)
        return False

    try:
        if args.rendu == "zensical":
            from .zensical_build import build_site as build_with_zensical

            if args.non_strict or args.format == "github":
                print(
                    "--rendu zensical : --non-strict et --format github ne valent que pour le rendu MkDocs "
                    "(Zensical ne signale pas les liens cassés).",
                    file=sys.stderr,
                )
                return 2

            build_with_zensical(config_file, Path(args.site_dir), openable_from_disk=args.apercu)
        else:
            build_site(
                config_file,
                Path(args.site_dir),
                strict=not args.non_strict,
                openable_from_disk=args.apercu,
                on_warning=annotate if args.format == "github" else None,
                reuse_pages=not args.sans_cache,
            )
    except UnsafeSiteDir as refused:
        print(f"--site-dir : {refused}", file=sys.stderr)
        return 2
    except SiteNotWritten as failed:
        print(f"La construction a échoué : {failed}.", file=sys.stderr)
        return 1
    except InvalidSources as invalid:
        _print_report(Report(invalid.diagnostics), "text", out=sys.stderr)
        if args.format == "github":  # « spro validate --format github » puts them on their lines: not twice
            print(
                Diagnostic(
                    "",
                    0,
                    0,
                    "",
                    f"site non construit : {pluriel(len(invalid.diagnostics), 'erreur')} dans les "
                    "données ou les pages (spro validate les signale sur leurs lignes)",
                ).as_github()
            )
        print("La construction a échoué : le site précédent est conservé.", file=sys.stderr)
        return 1
    except BuildFailed as failed:
        message = str(failed).strip()
        if message:
            print(printable(message), file=sys.stderr)
            if args.format == "github":
                print(Diagnostic("", 0, 0, "", f"construction du site : {message}").as_github())
        print("La construction a échoué : le site précédent est conservé.", file=sys.stderr)
        return 1
    print(
        f"Site construit dans {args.site_dir}/" + (" (aperçu à ouvrir depuis le disque)." if args.apercu else "."),
        file=sys.stderr,
    )
    return 0


def command_search(args) -> int:
    import datetime as dt
    import json

    from .finder import PARIS, Finder, Query, open_at, query_words
    from .geocache import CACHE_FILE_NAME, GeocodeCache
    from .positions import locate
    from .text import de, distance_fr

    data_root = Path(args.data)
    dataset = _load_valid_dataset(data_root)
    if dataset is None:
        return 1
    geography = locate(dataset, GeocodeCache.load(data_root / CACHE_FILE_NAME)[0])
    query = Query(
        " ".join(args.texte),
        tuple(args.service),
        tuple(args.public),
        tuple(args.bassin),
        tuple(args.reseau),
        tuple(args.modalite),
        args.pmr,
        args.ouvert_maintenant,
    )
    for option, values, table in (
        ("--service", query.services, dataset.services),
        ("--public", query.publics, dataset.publics),
        ("--bassin", query.bassins, dataset.bassins),
        ("--reseau", query.reseaux, dataset.reseaux),
    ):
        unknown = [v for v in values if v not in table]
        if unknown:
            print(f"{option} : code inconnu « {unknown[0]} ».{suggestion(unknown[0], table)}", file=sys.stderr)
            return 2
    place = search_place(dataset, args)
    if isinstance(place, str):
        print(place, file=sys.stderr)
        return 2
    origin = (place.lat, place.lon) if place else None
    moment = args.date.replace(tzinfo=PARIS) if args.date else dt.datetime.now(PARIS)
    finder = Finder(dataset, geography)
    rows = []
    results = finder.find(query, moment, origin)
    for result in results:
        lieu = dataset.lieux[result.id]
        rows.append(
            {
                "id": result.id,
                "nom": lieu.nom,
                "reseau": dataset.reseaux[lieu.reseau].nom,
                "commune": lieu.adresse.commune,
                "pertinence": result.relevance,
                "distance_km": round(result.distance_km, 1) if result.distance_km is not None else None,
                "services": list(lieu.services),
                "ouvert": open_at(lieu, moment.date(), moment),
                "telephone": lieu.contact.telephone,
            }
        )
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    searched = query_words(query.text)
    if query.text.strip() and not searched:
        print(
            f"« {printable(query.text.strip())[:60]} » : aucun mot à chercher (lettres ou chiffres, hors mots comme "
            "« de », « la », « pour ») ; voici les lieux sans ce critère."
        )
    filtered = query != Query(query.text)
    without_filters = finder.find(Query(query.text), moment, origin) if not rows and filtered else []
    if without_filters:
        print(
            f"Aucun lieu ne correspond à toutes ces options ({pluriel(len(without_filters), 'lieu', 'lieux')} sans "
            "elles) : retirez-en une (--service, --public, --bassin, --reseau, --modalite, --pmr, --ouvert-maintenant)."
        )
    elif not rows and len(searched) > 1 and not finder.unknown_words(query.text):
        print("Aucun lieu ne correspond à tous ces mots à la fois : cherchez-les un par un.")
    else:
        print(results_status(len(rows), bool(searched), de(place.nom) if place else ""))
    if not rows:
        for word, meant in finder.suggestions(query.text).items():
            print(f"« {word} » : vouliez-vous dire {' ou '.join(f'« {m} »' for m in meant)} ?")
    for rank, (row, result) in enumerate(zip(rows, results), start=1):
        distance = f" · {distance_fr(result.distance_km)}" if result.distance_km is not None else ""
        status = " · ouvert" if row["ouvert"] else ""
        print(f"{rank:>3}. {row['nom']} ({row['reseau']}, {row['commune']}{distance}{status}) [{row['id']}]")
    return 0


def results_status(count: int, ranked: bool, origin: str) -> str:
    """What the finder's live region says of its list (finder.js, renderStatus), for the command line.
    ``origin``: « de Niort », « d'Angoulême »… or empty."""
    if not count:
        return "Aucun lieu trouvé."
    order = ["les plus pertinents d'abord"] if ranked and count > 1 else []
    if origin and count > 1:
        order.append(("puis " if order else "") + f"du plus proche au plus éloigné {origin}")
    return pluriel(count, "lieu trouvé", "lieux trouvés") + "".join(f", {part}" for part in order) + "."


def search_place(dataset, args, places=None):
    """The commune results are sorted from (``--insee``, ``--code-postal`` or ``--commune``), None, or a French
    message saying why there is none: unknown, or several communes to choose from."""
    from .gazetteer import Gazetteer
    from .places import CODE, Places

    places = places or Places(dataset.communes, dataset.communes_deleguees)
    territory = f"en {dataset.site.region}"

    def choose(option: str, value: str, communes) -> str:
        listed = " ; ".join(
            f"{c.nom} (code INSEE {c.code_insee}, code postal {' '.join(c.codes_postaux)})" for c in communes
        )
        return (
            f"{option} : « {shown(value)} » désigne plusieurs communes : {listed}. Indiquez laquelle avec --insee "
            "(ou --commune « Nom (code postal) »)."
        )

    if args.insee:
        commune = places.by_insee(args.insee)
        if commune is None:
            close = Gazetteer(dataset.communes).closest_code(args.insee)
            hint = f" Vouliez-vous dire {close.code_insee} ({close.nom}) ?" if close else ""
            postal = places.by_postal_code(args.insee)
            if postal:
                hint = f" {shown(args.insee)} est un code postal : --code-postal {shown(args.insee)}."
            return f"--insee : aucune commune {territory} n'a le code INSEE {shown(args.insee)}.{hint}"
        return commune
    if args.code_postal:
        found = places.by_postal_code(args.code_postal)
        if not found:
            hint = (
                f" {shown(args.code_postal)} est un code INSEE : --insee {shown(args.code_postal)}."
                if places.by_insee(args.code_postal)
                else ""
            )
            return f"--code-postal : aucune commune {territory} n'a le code postal {shown(args.code_postal)}.{hint}"
        return found[0] if len(found) == 1 else choose("--code-postal", args.code_postal, found)
    if args.commune:
        text = args.commune.strip()
        if CODE.fullmatch(text):
            found = places.by_code(text)
            closest = ()
        else:
            answer = places.lookup(text)
            found, closest = answer.communes, answer.closest
        if not found:
            hint = f" Vouliez-vous dire {' ou '.join(f'« {c.nom} »' for c in closest)} ?" if closest else ""
            return f"--commune : « {shown(text)} » : aucune commune de ce nom ni de ce code {territory}.{hint}"
        return found[0] if len(found) == 1 else choose("--commune", text, found)
    return None


def command_freshness(args) -> int:
    import datetime as dt

    from .freshness import network_teams, report, tickets, tickets_folder_problem, write_tickets

    data_root = Path(args.data)
    dataset = _load_valid_dataset(data_root)
    if dataset is None:
        return 1
    today = args.date or dt.date.today()
    if not args.tickets:
        print(report(dataset, today), end="")
        return 0
    codeowners = data_root.resolve().parent / ".github" / "CODEOWNERS"
    teams = network_teams(codeowners.read_text(encoding="utf-8")) if codeowners.is_file() else {}
    found = tickets(dataset, today, teams)
    problem = tickets_folder_problem(Path(args.tickets), data_root.resolve().parent)
    if problem:
        print(f"--tickets : {problem}.", file=sys.stderr)
        return 2
    try:
        write_tickets(found, Path(args.tickets))
    except OSError as failed:
        print(f"--tickets : écriture impossible dans « {args.tickets} » ({failed.strerror}).", file=sys.stderr)
        return 1
    print(
        f"{pluriel(len(found), 'ticket')} écrit{'s' if len(found) > 1 else ''} dans {args.tickets}/.", file=sys.stderr
    )
    return 0


def command_format(args) -> int:
    """Rewrite data files; with --check, say where and how their layout differs. With --format github (pull
    requests), differences are notices and never fail: the layout is normalised after the merge."""
    from .yaml_format import data_files, format_files

    data_root = Path(args.data)
    repo_root = data_root.resolve().parent
    github = args.format == "github"
    problems = Report()
    if args.depuis and args.paths:
        print("Indiquez soit des chemins, soit --depuis, pas les deux.", file=sys.stderr)
        return 2
    paths = data_files(data_root)
    if args.depuis:
        changed = _changed_since(args.depuis, repo_root, problems)
        if changed is None:
            _print_report(problems, args.format)
            return 2
        paths = [p for p in paths if display_path(p, repo_root) in changed]
    else:
        named = _selected_files(args.paths, repo_root, [data_root], problems)
        if named is not None:
            wanted = {p.resolve() for p in named}
            paths = [p for p in paths if p.resolve() in wanted]
    result = format_files(paths, data_root, lambda path: display_path(path, repo_root), check=args.check or github)
    if github:  # unreadable files are validation's errors: here, one note each
        unreadable = sorted({d.file for d in result.problems})
        notes = result.notes + [
            Diagnostic(
                file,
                0,
                0,
                "",
                "mise en forme non vérifiée : le fichier est illisible (voir les erreurs de validation)",
                Severity.NOTICE,
            )
            for file in unreadable
        ]
        _print_report(Report(notes), "github")
        print(
            f"{pluriel(len(paths), 'fichier')} de données vérifié{'s' if len(paths) > 1 else ''} : "
            f"{pluriel(len(result.changed), 'fichier')} à remettre en forme après la fusion.",
            file=sys.stderr,
        )
        return 0
    problems.extend(result.problems)
    _print_report(problems, "text", out=sys.stderr)
    unreadable = len({d.file for d in result.problems})
    if args.check:
        _print_report(Report(result.notes), "text")
        verdicts = []
        if result.changed:
            verdicts.append(f"{pluriel(len(result.changed), 'fichier')} à remettre en forme : lancez spro format")
        if unreadable:
            verdicts.append(
                f"{pluriel(unreadable, 'fichier illisible', 'fichiers illisibles')} : corrigez d'abord les "
                "erreurs ci-dessus (spro validate)"
            )
        verdict = " ; ".join(verdicts) or "aucun fichier à remettre en forme"
        print(f"{pluriel(len(paths), 'fichier')} vérifié{'s' if len(paths) > 1 else ''} : {verdict}.", file=sys.stderr)
        return 1 if result.changed or problems.errors else 0
    print(
        f"{pluriel(len(result.changed), 'fichier')} mis en forme sur {len(paths)}"
        + (
            f" ; {pluriel(unreadable, 'fichier illisible', 'fichiers illisibles')} laissé{'s' if unreadable > 1 else ''} "
            "tel quel : corrigez d'abord ses erreurs (spro validate)"
            if unreadable
            else ""
        )
        + ".",
        file=sys.stderr,
    )
    return 1 if problems.errors else 0


def _side(data_dir: Path, docs_dir: Path, today):
    """One version of the sources, read from a folder (``spro diff``)."""
    from .site_diff import Side

    loader = DataLoader(data_dir, today=today, display_root=data_dir.parent)
    dataset = loader.load() if data_dir.is_dir() else None
    files = (
        frozenset(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file())
        if data_dir.is_dir()
        else frozenset()
    )
    docs = (
        {p.relative_to(docs_dir).as_posix(): p.read_bytes() for p in sorted(docs_dir.rglob("*")) if p.is_file()}
        if docs_dir.is_dir()
        else {}
    )
    positions = {}
    if dataset is not None:
        from .positions import locate

        positions = {code: (p.lat, p.lon) for code, p in locate(dataset, loader.geocache).positions.items()}
    return Side(dataset, files, docs, positions)


def command_diff(args) -> int:
    import datetime as dt
    import os
    import tempfile

    from .atomic import write_atomically
    from .git_sources import GitError, export, toplevel, uncommitted
    from .site_diff import compare, markdown, preview_page

    data_root, docs_root = Path(args.data).resolve(), Path(args.docs).resolve()
    today = args.date or dt.date.today()
    try:
        root = toplevel(data_root.parent)
        folders = [data_root.relative_to(root).as_posix(), docs_root.relative_to(root).as_posix()]
        with tempfile.TemporaryDirectory(prefix="spro-diff-") as temporary:
            sides = []
            for revision, name in ((args.base, "avant"), (args.head, "apres")):
                folder = Path(temporary) / name
                export(root, revision, folders, folder)
                sides.append(_side(folder / folders[0], folder / folders[1], today))
        pending = uncommitted(root, folders)
    except (GitError, ValueError) as failed:
        print(f"spro diff : {failed}", file=sys.stderr)
        return 2
    changes = compare(*sides, today)
    print(markdown(changes, args.base, args.head), end="")
    if pending:
        print(
            f"Note : spro diff compare des révisions enregistrées (commits) ; {pluriel(len(pending), 'fichier')} de "
            f"{' et '.join(folders)} modifié{'s' if len(pending) > 1 else ''} depuis le dernier commit "
            "n'entre{} pas dans cette comparaison (git commit, puis relancez).".format(
                "nt" if len(pending) > 1 else ""
            ),
            file=sys.stderr,
        )
    if args.apercu:
        site = Path(args.apercu)
        if (site / "index.html").is_file():
            page = site / "apercu.html"
            write_atomically(page, preview_page(changes, site))
            os.chmod(page, 0o644)
            print(f"Aperçu des changements écrit : {page}", file=sys.stderr)
        else:
            print(
                f"--apercu : {site} n'est pas un site construit (pas d'index.html) : apercu.html non écrit.",
                file=sys.stderr,
            )
    return 0


def command_new_lieu(args) -> int:
    import datetime as dt

    from .atomic import write_atomically
    from .lieu_files import COLUMNS, lieu_path
    from .new_lieu import Abandon, new_lieu

    data_root = Path(args.data)
    dataset = _load_valid_dataset(data_root)
    if dataset is None:
        return 1
    plain = {column.key: getattr(args, column.key) for column in COLUMNS}
    say = lambda message: print(f"  {message}", file=sys.stderr)  # noqa: E731
    try:
        created = new_lieu(dataset, plain, dt.date.today(), data_root, None if args.sans_questions else input, say)
    except Abandon as abandon:
        print(f"Fiche non créée : {abandon}.", file=sys.stderr)
        return 1
    path = lieu_path(data_root, created.identifier)
    write_atomically(path, created.text, within=data_root / "lieux")
    print(f"Fiche créée : {display_path(path, data_root.resolve().parent)}", file=sys.stderr)
    print(
        "Relisez-la, complétez-la (horaires, accessibilité, description), puis : spro validate et spro geocode.",
        file=sys.stderr,
    )
    return 0


def command_import_csv(args) -> int:
    import datetime as dt

    from .csv_import import ImportReport, import_csv

    data_root = Path(args.data)
    source = Path(args.fichier)
    if not source.is_file():
        print(f"Fichier introuvable : {source}", file=sys.stderr)
        return 1
    dataset = _load_valid_dataset(data_root)
    if dataset is None:
        return 1

    def progress(rows: int) -> None:
        print(f"… {rows:,} lignes lues".replace(",", "\u202f"), file=sys.stderr, flush=True)

    report = ImportReport()
    try:
        report, encoding = import_csv(
            source.read_bytes(),
            str(source),
            dataset,
            data_root,
            dt.date.today(),
            update=args.update,
            dry_run=args.essai,
            progress=progress,
            report=report,
        )
    except KeyboardInterrupt:
        done = len(report.written) + len(report.updated)
        if done and not args.essai:
            print(
                f"Interrompu après {pluriel(report.rows, 'ligne')} : "
                f"{pluriel(done, 'fiche écrite (valide)', 'fiches écrites (valides)')}. "
                "Pour reprendre, relancez la même commande avec --update : les lignes déjà importées "
                "sont alors mises à jour, sans doublon.",
                file=sys.stderr,
            )
            return 130
        raise
    _print_report(Report(report.problems), "text", out=sys.stderr)
    repo_root = data_root.resolve().parent
    for path in report.written:
        print(f"{'à créer' if args.essai else 'créée'} : {display_path(path, repo_root)}")
    for path in report.updated:
        print(f"{'à mettre à jour' if args.essai else 'mise à jour'} : {display_path(path, repo_root)}")
    created = pluriel(
        len(report.written),
        "fiche " + ("à créer" if args.essai else "créée"),
        "fiches " + ("à créer" if args.essai else "créées"),
    )
    updated = pluriel(
        len(report.updated),
        "fiche " + ("à mettre à jour" if args.essai else "mise à jour"),
        "fiches " + ("à mettre à jour" if args.essai else "mises à jour"),
    )
    print(
        f"{source} ({encoding}) : {pluriel(report.rows, 'ligne')} ; {created} ; {updated} ; "
        f"{pluriel(report.rejected_rows, 'ligne refusée', 'lignes refusées')}"
        + (" (essai : rien n'a été écrit)" if args.essai else "")
        + ".",
        file=sys.stderr,
    )
    return 1 if report.problems else 0


_ARGPARSE_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s (aide : %(prog)s -h)\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "the following arguments are required: %s": "valeur obligatoire manquante : %s",
    "unrecognized arguments: %s": "option ou valeur inconnue : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "« %(value)s » n'est pas possible (choix : %(choices)s)",
    "invalid %(type)s value: %(value)r": "« %(value)s » : valeur invalide (%(type)s attendu)",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "not allowed with argument %s": "incompatible avec %s",
    "one of the arguments %s is required": "l'une de ces options est obligatoire : %s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue « %(parser_name)s » (choix : %(choices)s)",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}
"""argparse's messages, in French: everything a user reads is French (argparse looks them up through its module's
``_`` at each use, so they are translated there; the messages for programmers' mistakes are left as they are)."""


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"« {text} » : nombre entier positif attendu")
    return int(text)


def _number(text: str, zero: bool) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not (0 <= value if zero else 0 < value) or value == float("inf"):
        raise argparse.ArgumentTypeError(f"« {text} » : nombre {'positif ou nul' if zero else 'positif'} attendu")
    return value


def _positive_number(text: str) -> float:
    return _number(text, zero=False)


def _non_negative_number(text: str) -> float:
    return _number(text, zero=True)


_YEARS = range(2000, 2101)
"""Reference dates a command accepts (hours tables and holidays are computed from them)."""


def _date(text: str):
    import datetime as dt

    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » : date attendue, écrite AAAA-MM-JJ (ex. 2027-03-15)") from None
    if day.year not in _YEARS:
        raise argparse.ArgumentTypeError(f"« {text} » : année entre {_YEARS[0]} et {_YEARS[-1]} attendue")
    return day


def _moment(text: str):
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"« {text} » : date et heure attendues, écrites AAAA-MM-JJTHH:MM (ex. 2027-03-15T14:30, heure de Paris)"
        ) from None
    if moment.year not in _YEARS:
        raise argparse.ArgumentTypeError(f"« {text} » : année entre {_YEARS[0]} et {_YEARS[-1]} attendue")
    return moment


def _french_argparse() -> None:
    argparse._ = lambda message: _ARGPARSE_FRENCH.get(message, message)


def build_parser() -> argparse.ArgumentParser:
    _french_argparse()
    parser = argparse.ArgumentParser(
        prog="spro",
        description="Outils de l'annuaire du Service public régional de l'orientation.",
    )
    parser.add_argument("--data", default="data", help="dossier des données (par défaut : data)")
    parser.add_argument("--docs", default="docs", help="dossier des pages écrites à la main (par défaut : docs)")
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE")
    commands.required = True

    validate = commands.add_parser(
        "validate",
        help="vérifier les données et signaler toutes les erreurs",
        description="Vérifie les fichiers de données. Sans chemin, vérifie tout le dossier.",
    )
    validate.add_argument("paths", nargs="*", metavar="CHEMIN", help="fichiers ou dossiers à vérifier seulement")
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (par défaut) ou github (annotations de pull request)",
    )
    validate.add_argument(
        "--depuis",
        metavar="RÉVISION",
        help="seulement les fichiers modifiés depuis cette révision git (ex. origin/main), plus toute "
        "erreur que leur modification provoque ailleurs (un événement qui cite un lieu supprimé)",
    )
    validate.set_defaults(handler=command_validate)

    schemas = commands.add_parser(
        "schemas",
        help="régénérer les schémas JSON et la liste des champs de CONTRIBUTING.md",
        description="Écrit les schémas JSON (autocomplétion dans les éditeurs) dans schemas/ "
        "et la liste des champs de CONTRIBUTING.md.",
    )
    schemas.add_argument("--output", default="schemas", help="dossier de sortie (par défaut : schemas)")
    schemas.add_argument(
        "--check", action="store_true", help="ne rien écrire : signaler les fichiers qui ne sont plus à jour (code 1)"
    )
    schemas.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="avec --check : text (par défaut) ou github (annotations de pull request)",
    )
    schemas.set_defaults(handler=command_schemas)

    build = commands.add_parser(
        "build",
        help="construire le site dans site/",
        description="Construit le site statique (MkDocs, mode strict) sans jamais appeler le réseau. "
        "En cas d'échec, le site précédent est conservé.",
    )
    build.add_argument("--config", default="mkdocs.yml", help="configuration MkDocs (par défaut : mkdocs.yml)")
    build.add_argument("--site-dir", default="site", help="dossier de sortie (par défaut : site)")
    build.add_argument("--non-strict", action="store_true", help="ne pas échouer sur les avertissements de MkDocs")
    build.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (par défaut) ou github (problèmes de construction en annotations de pull request)",
    )
    build.add_argument(
        "--rendu",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="mkdocs (par défaut : MkDocs et Material) ou zensical (le successeur de Material ; sans le "
        "blog : les actualités sont des pages simples)",
    )
    build.add_argument(
        "--apercu",
        action="store_true",
        help="aperçu à ouvrir depuis le disque, sans serveur (liens vers les dossiers complétés par index.html)",
    )
    build.add_argument(
        "--sans-cache",
        action="store_true",
        help="construire toutes les pages, sans reprendre celles de la construction précédente qui n'ont pas changé "
        "(le cache est dans ~/.cache/spro, ou dans le dossier de SPRO_CACHE_DIR ; on peut l'effacer sans risque)",
    )
    build.set_defaults(handler=command_build)

    geocode = commands.add_parser(
        "geocode",
        help="géocoder les adresses absentes du cache",
        description="Géocode les adresses des lieux absentes de data/geocodage.jsonl, avec le "
        "géocodeur national (BAN). Les centres des communes viennent de "
        "data/communes.csv (spro communes).",
    )
    geocode.add_argument("--offline", action="store_true", help="ne rien envoyer : lister ce qui manque")
    geocode.add_argument(
        "--geocodeur",
        metavar="URL",
        help="adresse du géocodeur (par défaut : variable SPRO_GEOCODER_URL, sinon https://data.geopf.fr/geocodage)",
    )
    geocode.add_argument(
        "--duree-max",
        type=_positive_number,
        default=600.0,
        metavar="SECONDES",
        help="durée maximale du géocodage (par défaut : 600 s)",
    )
    geocode.set_defaults(handler=command_geocode)

    communes = commands.add_parser(
        "communes",
        help="écrire le répertoire des communes et les contours des bassins",
        description="Écrit data/communes.csv et data/communes-deleguees.csv (toutes les communes des départements de "
        "data/site.yaml : code INSEE, nom officiel, codes postaux, population, centre ; communes déléguées "
        "et associées), puis data/bassins/<code>.geojson (contour de chaque bassin, réunion de ses communes, "
        "simplifié). Depuis un dossier de référence (--reference) ou le service en ligne geo.api.gouv.fr "
        "(--en-ligne). Relancer la commande réécrit les mêmes octets.",
    )
    source = communes.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--reference",
        metavar="DOSSIER",
        help="dossier des fichiers officiels : cog-<année>-communes.json et "
        "contours-<année>-communes-<département>*.geojson",
    )
    source.add_argument("--en-ligne", action="store_true", help="interroger geo.api.gouv.fr")
    communes.add_argument(
        "--url",
        metavar="URL",
        help="adresse du service en ligne (par défaut : variable SPRO_GEO_API_URL, sinon https://geo.api.gouv.fr)",
    )
    communes.add_argument(
        "--tolerance",
        type=_non_negative_number,
        default=0.002,
        metavar="DEGRÉS",
        help="tolérance de simplification des contours des bassins (par défaut : 0.002)",
    )
    communes.set_defaults(handler=command_communes)

    bassins = commands.add_parser(
        "bassins", help="outils des bassins (spro bassins repartir)", description="Outils des fichiers data/bassins/."
    )
    bassin_tools = bassins.add_subparsers(dest="tool", metavar="OUTIL")
    bassin_tools.required = True
    repartir = bassin_tools.add_parser(
        "repartir",
        help="rattacher à un bassin chaque commune qui n'en a pas",
        description="Rattache chaque commune de data/communes.csv absente des bassins : elle suit son intercommunalité "
        "(EPCI) vers le bassin de ses communes déjà rattachées (la plus proche s'il y en a dans plusieurs "
        "bassins) ; une EPCI sans commune rattachée rejoint le bassin de la commune rattachée la plus proche "
        "de sa commune la plus peuplée. Les communes déjà rattachées ne changent jamais de bassin.",
    )
    repartir.add_argument(
        "--reference",
        metavar="DOSSIER",
        required=True,
        help="dossier contenant cog-<année>-epci.json (intercommunalités et leurs communes)",
    )
    repartir.add_argument("--essai", action="store_true", help="afficher la répartition sans rien écrire")
    repartir.set_defaults(handler=command_bassins_repartir)

    search = commands.add_parser(
        "search",
        help="chercher des lieux, comme la page « Trouver un lieu »",
        description="Cherche des lieux d'accueil : mêmes règles et même ordre que la page "
        "« Trouver un lieu » du site. Plusieurs valeurs d'une option : l'une ou l'autre.",
    )
    search.add_argument(
        "texte",
        nargs="*",
        help="mots à chercher (nom, commune, code postal, réseau, service, public, mots de data/synonymes.yaml)",
    )
    search.add_argument(
        "--service", action="append", default=[], metavar="CODE", help="api, cep, vae, creation-entreprise…"
    )
    search.add_argument("--public", action="append", default=[], metavar="CODE", help="jeunes, demandeurs-emploi…")
    search.add_argument("--bassin", action="append", default=[], metavar="CODE", help="code d'un bassin d'emploi")
    search.add_argument("--reseau", action="append", default=[], metavar="CODE", help="mission-locale, cio…")
    search.add_argument(
        "--modalite", action="append", default=[], choices=("sur-place", "telephone", "visio", "courriel")
    )
    search.add_argument("--pmr", action="store_true", help="seulement les lieux accessibles en fauteuil roulant")
    place = search.add_mutually_exclusive_group()
    place.add_argument(
        "--commune",
        metavar="NOM",
        help="trie par distance depuis une commune : son nom (ancien nom, "
        "« Nom (code postal) ») ; un code à 5 chiffres y vaut code INSEE "
        "ou code postal, et plusieurs communes possibles sont listées",
    )
    place.add_argument("--code-postal", metavar="CODE", help="trie par distance depuis la commune de ce code postal")
    place.add_argument("--insee", metavar="CODE", help="trie par distance depuis la commune de ce code INSEE")
    search.add_argument("--ouvert-maintenant", action="store_true", help="seulement les lieux ouverts à cet instant")
    search.add_argument(
        "--date",
        type=_moment,
        metavar="AAAA-MM-JJTHH:MM",
        help="instant de référence (heure de Paris) au lieu de maintenant",
    )
    search.add_argument("--format", choices=("table", "json"), default="table")
    search.set_defaults(handler=command_search)

    diff = commands.add_parser(
        "diff",
        help="ce qui change sur le site entre deux révisions git",
        description="Compare les données et les pages de deux révisions git (lues avec git archive, "
        "sans rien extraire dans le dépôt) et dit en français ce qui change pour le "
        "public : lieux, événements, bassins, pages, champ par champ (Markdown).",
    )
    diff.add_argument("base", metavar="AVANT", help="révision de départ (ex. origin/main)")
    diff.add_argument("head", metavar="APRÈS", nargs="?", default="HEAD", help="révision d'arrivée (par défaut : HEAD)")
    diff.add_argument(
        "--date", type=_date, metavar="AAAA-MM-JJ", help="date de référence des horaires (par défaut : aujourd'hui)"
    )
    diff.add_argument(
        "--apercu",
        metavar="DOSSIER_DU_SITE",
        help="écrire aussi la liste, avec des liens vers les pages, dans DOSSIER_DU_SITE/apercu.html",
    )
    diff.set_defaults(handler=command_diff)

    freshness = commands.add_parser(
        "fraicheur",
        help="lister les fiches non vérifiées depuis plus de 12 mois",
        description="Liste, par réseau, les fiches à vérifier (Markdown) ; avec --tickets, un ticket par réseau.",
    )
    freshness.add_argument(
        "--date", type=_date, metavar="AAAA-MM-JJ", help="date de référence (par défaut : aujourd'hui)"
    )
    freshness.add_argument(
        "--tickets",
        metavar="DOSSIER",
        help="écrire un fichier par ticket (un par réseau, qui cite son équipe de .github/CODEOWNERS) : "
        "titre en première ligne, puis le texte",
    )
    freshness.set_defaults(handler=command_freshness)

    new = commands.add_parser(
        "new",
        help="créer une fiche (spro new lieu)",
        description="Crée une fiche valide. Les valeurs obligatoires absentes des options sont demandées.",
    )
    new_kinds = new.add_subparsers(dest="kind", metavar="TYPE")
    new_kinds.required = True
    new_lieu = new_kinds.add_parser(
        "lieu",
        help="créer la fiche d'un lieu d'accueil",
        description="Crée data/lieux/<id>.yaml : l'identifiant vient du réseau et de la commune "
        "(ex. mission-locale-lusignan), le code INSEE et le bassin du code postal. "
        "Sans toutes les valeurs obligatoires, les questions sont posées une à une.",
    )
    from .lieu_files import COLUMNS

    for column in COLUMNS:
        new_lieu.add_argument("--" + column.key.replace("_", "-"), dest=column.key, metavar="VALEUR", help=column.label)
    new_lieu.add_argument(
        "--sans-questions",
        action="store_true",
        help="ne rien demander (scripts) : échouer s'il manque une valeur obligatoire",
    )
    new_lieu.set_defaults(handler=command_new_lieu)

    imports = commands.add_parser(
        "import",
        help="importer un tableau (spro import csv FICHIER)",
        description="Importe des lieux depuis un export de tableur.",
    )
    import_kinds = imports.add_subparsers(dest="kind", metavar="FORMAT")
    import_kinds.required = True
    import_csv = import_kinds.add_parser(
        "csv",
        help="importer un fichier CSV de lieux",
        description="Une ligne par lieu, une colonne par champ (en-têtes en français : nom, reseau, voie, code postal, "
        "commune, services, publics, téléphone…), séparateur « ; » ou « , », UTF-8 ou Windows-1252. "
        "Les lignes invalides ne produisent aucun fichier ; une fiche existante n'est modifiée qu'avec --update.",
    )
    import_csv.add_argument("fichier", metavar="FICHIER", help="fichier CSV")
    import_csv.add_argument(
        "--update",
        action="store_true",
        help="mettre à jour les fiches existantes (seules les cellules remplies changent)",
    )
    import_csv.add_argument("--essai", action="store_true", help="tout vérifier sans rien écrire")
    import_csv.set_defaults(handler=command_import_csv)

    fmt = commands.add_parser(
        "format",
        help="remettre les fichiers de données en forme (ordre des champs, indentation)",
        description="Réécrit les fichiers YAML dans l'ordre des champs du contrat, avec une mise en "
        "forme unique, sans perdre les commentaires. Sans chemin : tout le dossier.",
    )
    fmt.add_argument("paths", nargs="*", metavar="CHEMIN", help="fichiers ou dossiers à traiter seulement")
    fmt.add_argument(
        "--check",
        action="store_true",
        help="ne rien écrire : dire où et comment la mise en forme diffère (code 1 s'il y a à faire)",
    )
    fmt.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github : rien n'est écrit, chaque différence est une note (notice) sur sa ligne, jamais un échec "
        "(pull requests : la mise en forme est faite après la fusion)",
    )
    fmt.add_argument("--depuis", metavar="RÉVISION", help="seulement les fichiers modifiés depuis cette révision git")
    fmt.set_defaults(handler=command_format)

    synthetic = commands.add_parser(
        "synthetique",
        help="écrire un jeu de données synthétique (tests de charge)",
        description="Copie les référentiels et bassins de --data et génère N lieux valides.",
    )
    synthetic.add_argument("output", metavar="DOSSIER", help="dossier à créer")
    synthetic.add_argument("--lieux", type=_positive_int, default=3000, help="nombre de lieux (par défaut : 3000)")
    synthetic.add_argument("--graine", type=int, default=2026, help="graine aléatoire (par défaut : 2026)")
    synthetic.set_defaults(handler=command_synthetic)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head, less...
        sys.stderr.close()
        return 0
    except OSError as failed:  # a file or folder the system refused: said in French, with its path
        if failed.errno is None or os.environ.get("SPRO_DEBUG") == "1":
            raise
        where = f" ({printable(str(failed.filename))[:200]})" if failed.filename else ""
        print(f"Opération impossible : {os_error_fr(failed)}{where}.", file=sys.stderr)
        return 1
    except Exception as unexpected:  # the last guard: a partner never reads a Python traceback
        if os.environ.get("SPRO_DEBUG") == "1":
            raise
        detail = printable(f"{type(unexpected).__name__} : {unexpected}")[:300]
        print(
            f"Erreur inattendue de spro ({detail}). Ce n'est pas une erreur de vos données : signalez-la aux "
            "mainteneurs de l'annuaire (un ticket sur le dépôt) avec la commande lancée et ce message ; "
            "SPRO_DEBUG=1 affiche le détail technique.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
