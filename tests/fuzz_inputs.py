"""Hypothesis strategies for the fuzz tests (tests/test_fuzz.py) and the longer run (benchmarks/fuzz.py):
random bytes, YAML-looking text built from a valid lieu with some parts replaced by hostile values, and
CSV files of random cells under the import's own headers."""

from __future__ import annotations

import yaml
from conftest import VALID_LIEU
from hypothesis import strategies as st

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "~",
            "null",
            "yes",
            "0x1F",
            "46:30",
            ".nan",
            "-.inf",
            "1e999",
            "2026-13-45",
            "9999-12-31",
            "{{ 7*7 }}",
            "<script>alert(1)</script>",
            "\x1b[2J",
            "a\u202eb",
            "\u2028",
            "\x00",
            "&lt;",
            "'",
            '"',
            "[",
            "{",
            "- x",
            "!!python/object:os.system",
            "*alias",
            "&anchor x",
            "---",
            "...",
            "%YAML 1.1",
        ]
    ),
)
SCALARS = st.one_of(
    HOSTILE_TEXT, st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(HOSTILE_TEXT, inner, max_size=4)),
    max_leaves=12,
)
_BASE = yaml.safe_load(VALID_LIEU)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))


PATHS = [p for p in _paths(_BASE) if p]


@st.composite
def lieu_documents(draw) -> bytes:
    """A valid lieu with one to three of its values (or keys) replaced, dumped as YAML, then perhaps cut or spliced."""
    document = yaml.safe_load(VALID_LIEU)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        target = document
        for key in path[:-1]:
            target = target.get(key) if isinstance(target, dict) else None
        if isinstance(target, dict):
            if draw(st.booleans()):
                target[path[-1]] = draw(VALUES)
            else:
                target[draw(HOSTILE_TEXT)] = target.pop(path[-1], None)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + draw(st.binary(max_size=20)) + text[cut:] if draw(st.booleans()) else text


@st.composite
def csv_files(draw, header: str) -> bytes:
    """A header line of the import, then rows of random cells joined by random separators and quotes."""
    separator = draw(st.sampled_from([";", ",", "\t"]))
    rows = [header.replace(";", separator)]
    for _ in range(draw(st.integers(0, 4))):
        cells = draw(
            st.lists(
                st.one_of(HOSTILE_TEXT, st.sampled_from(['"', '""', '"a;b"', "\n", "\r\n", "sep=;"])),
                min_size=0,
                max_size=12,
            )
        )
        rows.append(separator.join(cells))
    text = "\r\n".join(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    return data + draw(st.binary(max_size=8)) if draw(st.booleans()) else data
