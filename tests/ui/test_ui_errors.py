"""One error family: users see brassmap's own messages, never a library's internals (issue #10, item 11)."""

from __future__ import annotations

import doctest
import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

import ui.errors
from data.errors import BrassmapError, IngestError, StoreError
from geo.maps import MapInputError
from linking.exports import ExportError
from linking.filters import FilterError
from linking.registry import UnknownSeriesError


def test_ui_errors_docstring_examples_run() -> None:
    result = doctest.testmod(ui.errors, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    "error", [IngestError, StoreError, FilterError, ExportError, MapInputError, UnknownSeriesError]
)
def test_the_projects_errors_are_one_family(error: type[Exception]) -> None:
    assert issubclass(error, BrassmapError)


def _panel_raising_a_pandas_error() -> None:
    import pandas as pd
    import streamlit as st

    from ui.errors import panel_guard

    with panel_guard("map"):
        pd.DataFrame({"a": [1, 2]}).astype({"a": "datetime64[ns]"}).set_index("a").resample("banana")
    st.write("after the map")


def _panel_raising_an_own_error() -> None:
    import streamlit as st

    from data.errors import IngestError
    from ui.errors import panel_guard

    with panel_guard("import"):
        raise IngestError("upload.csv, row 3, latitude: 142 is not between -90 and 90; fix the row")
    st.write("after the import")


def test_a_pandas_internal_error_is_logged_with_a_reference_and_never_shown(caplog) -> None:
    caplog.set_level(logging.INFO, logger="brassmap.ui")
    at = AppTest.from_function(_panel_raising_a_pandas_error, default_timeout=60).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["after the map"], "the rest of the page still works"
    (shown,) = [e.value for e in at.error]
    assert "banana" not in shown and "freq" not in shown.lower(), "pandas' own text must not reach the screen"
    reference = re.search(r"reference ([0-9a-f]{8})", shown)
    assert reference, shown
    logged = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR
    assert logged[0].exc_info is not None
    assert "banana" in str(logged[0].exc_info[1]), "the log keeps the detail"


def test_an_own_error_shows_its_text(caplog) -> None:
    at = AppTest.from_function(_panel_raising_an_own_error, default_timeout=60).run()
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert "row 3" in shown and "142" in shown and "reference" not in shown
    assert [m.value for m in at.markdown] == ["after the import"]


def test_a_url_filter_shows_only_our_own_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    from linking.filters import Filters
    from ui.url import filters_from_params

    _, notice = filters_from_params({"date_from": ["yesterday"]})
    assert notice and "date_from" in notice  # FilterError: its reason is shown

    def broken(values: object) -> Filters:
        raise ValueError("Cannot mix tz-aware with tz-naive values")  # a library's words

    monkeypatch.setattr(Filters, "from_dict", staticmethod(broken))
    filters, notice = filters_from_params({"date_from": ["2021-01-01"]})
    assert filters == Filters() and notice is not None and "tz-naive" not in notice
