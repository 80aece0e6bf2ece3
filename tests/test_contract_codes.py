"""The code lists the contract shares with data·inclusion are the official package's (data-inclusion-schema), and
each code list of the contract carries its labels once."""

from data_inclusion.schema import v1

from build_tools import records
from build_tools.contract import Choice, ListOf


def values(enum) -> set[str]:
    return {member.value for member in enum}


def test_publics_are_data_inclusion_publics():
    assert set(records.PUBLICS_DATA_INCLUSION) == values(v1.Public)


def test_service_types_are_data_inclusion_types():
    assert set(records.TYPES_SERVICE_DATA_INCLUSION) == values(v1.TypeService)


def test_each_modalite_is_a_data_inclusion_mode_accueil():
    assert records.MODES_ACCUEIL_DATA_INCLUSION.keys() == records.MODALITES.keys()
    assert set(records.MODES_ACCUEIL_DATA_INCLUSION.values()) <= values(v1.ModeAccueil)


def test_the_modalites_field_reads_the_labelled_code_list():
    kind = next(f.kind for f in records.LIEU.fields if f.name == "modalites")
    assert isinstance(kind, ListOf) and isinstance(kind.item, Choice)
    assert kind.item.choices == tuple(records.MODALITES) and kind.item.labels is records.MODALITES
