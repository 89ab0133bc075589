"""The shared loader machinery: every kind has a registered loader declaring what it writes, and the parser's fast paths parse exactly as the general parsers do."""

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaopei.imports.importing import SPECS, CellError, Column, ParseContext
from kaopei.imports.importing.fast import MISS
from kaopei.imports.importing.validate import str_parser
from kaopei.imports.loaders import LOADERS, get_loader
from kaopei.imports.models import ImportBatch

pytestmark = pytest.mark.django_db
S = ImportBatch.Status
TZ = ZoneInfo("Asia/Shanghai")


# --- declarations ---------------------------------------------------------------------------


def test_every_kind_has_a_loader_that_declares_what_it_writes() -> None:
    assert set(LOADERS) == set(SPECS)
    for kind, loader in LOADERS.items():
        assert loader.kind == kind and loader.writes
        assert all("." in label for label in loader.writes)
    with pytest.raises(Exception, match="salaries"):
        get_loader("salaries")


# --- the parser's fast paths ------------------------------------------------------------------


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", parse(text)
    except CellError as error:
        return "error", (error.code, {k: str(v) for k, v in error.params.items()})


COLUMNS: list[Column] = [c for spec in SPECS.values() for c in spec.columns]
DATEISH = st.from_regex(
    r"\A[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}( ?T?[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?"
    r"([+-][0-9]{2}:?[0-9]{2}|Z)?\Z"
)
NUMBERISH = st.from_regex(r"\A-?[0-9,]{0,16}(\.[0-9]{0,8})?\Z")
KEYISH = st.text(alphabet="AZaz09_-.+/ E\t中", max_size=70)
TEXTS = st.one_of(DATEISH, NUMBERISH, KEYISH, st.text(max_size=20),
                  st.sampled_from(["visit", "拜访", "是", "TRUE", "y", "0", "1", "1.5", "1E+11"]))  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COLUMNS), TEXTS)
def test_a_fast_path_parses_exactly_as_the_general_parser(column: Column, text: str) -> None:
    ctx = ParseContext(TZ)
    fast = str_parser(column, ctx)
    if fast is None:
        return
    quick = _outcome(fast, text)
    if quick == ("ok", MISS):
        return  # not an everyday shape: the general parser decides
    general = _outcome(lambda t: column.parse(t, ctx), text)
    assert general == quick
    assert type(general[1]) is type(quick[1])
