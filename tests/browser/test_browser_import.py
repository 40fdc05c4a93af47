"""The Import tab in a real browser (issue #10, items 4, 8 and 10): headless Chromium, ``streamlit run``.

The server runs on its own small demo store, because this test replaces the
demo and then empties the database. Nothing may leave 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from data import schema as S
from data.demo import build_demo_store
from data.store import Store
from tests.browser.test_browser_dashboard import download, metric, open_page, wait_idle, wait_metric_change
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser

UNKNOWN_COLUMNS = b"RowID,town,when,lat,lon\n1,Detroit,2021-06-01,42.36,-83.10\n"
WITH_FORMULAS = (
    b"incident_id,city,occurred_at,latitude,longitude,incident_type\n"
    b"R-1,Detroit,2021-06-01T22:15:00-04:00,42.3601,-83.1050,shots_fired\n"
    b"R-2,Detroit,2021-06-03T21:40:00-04:00,42.3701,-83.1150,non_fatal_shooting\n"
    b'R-3,Detroit,2021-06-02T23:00:00-04:00,"=HYPERLINK(""http://evil.example/"",""x"")",-83.1,shots_fired\n'
    b"R-4,Detroit,2021-06-04T23:00:00-04:00,@SUM(A1),-83.1,shots_fired\n"
)
APP_ERROR = "This app has encountered an error"


@pytest.fixture(scope="module")
def import_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base url, database url) of the dashboard on a small demo store of its own."""
    folder = tmp_path_factory.mktemp("browser-import")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=11, incidents=400)
    with run_streamlit(folder / "streamlit.log", db_url=url) as app:
        yield app.url, url


def errors_on_page(page) -> list[str]:
    """Texts of error boxes and of Streamlit's own exception box."""
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    found = [boxes.nth(i).inner_text() for i in range(boxes.count())]
    if page.get_by_text(APP_ERROR).count():
        found.append(APP_ERROR)
    return found


def import_tab(page) -> None:
    """Show the Import tab, clicking again while the page is still settling (early clicks can be lost).

    A rerun of the whole page (after an import) shows the first tab again.
    """
    tab = page.get_by_role("tab", name="Import data")
    for _attempt in range(10):
        wait_idle(page)
        if tab.get_attribute("aria-selected") == "true":
            return
        tab.click()
        page.wait_for_timeout(300)
    raise AssertionError("the Import data tab could not be shown")


def upload(page, name: str, data: bytes) -> None:
    import_tab(page)
    page.locator('input[type="file"]').first.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_timeout(500)
    import_tab(page)


def test_browser_import_tab_chooses_nothing_downloads_safe_csv_replaces_demo_and_resets(
    browser, import_server, tmp_path: Path
) -> None:
    base_url, db_url = import_server
    context, page, recorder = open_page(browser, base_url)
    try:
        page.get_by_text("SYNTHETIC DEMO DATA").first.wait_for()
        demo_incidents = metric(page, "Incidents")

        # a file no preset fits: nothing is applied, no error, a question instead
        upload(page, "../../odd name.csv", UNKNOWN_COLUMNS)
        page.get_by_text("How to read this file").wait_for()
        page.get_by_text("Nothing is read into the database before you press Import").wait_for()
        assert errors_on_page(page) == []
        assert page.get_by_role("button", name="Import into the database").count() == 0

        # a file in brassmap's own format: recognised, previewed, two bad rows in the rejects report
        upload(page, "mine.csv", WITH_FORMULAS)
        page.get_by_text(re.compile("as the preset brassmap_incidents")).wait_for()
        page.get_by_text(re.compile("2 rejected")).first.wait_for()
        assert errors_on_page(page) == []
        saved = tmp_path / "rejects.csv"
        download(page, "Download the rejects report (CSV)").save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"), newline="")))
        values = {row["row"]: row["value"] for row in rows if row["severity"] == "error"}
        assert sorted(values) == ["4", "5"]
        assert values["4"].startswith("'=HYPERLINK(") and values["5"].startswith("'@SUM(A1)")
        assert "\"'=HYPERLINK(" in saved.read_text(encoding="utf-8-sig"), "prefixed and quoted"

        # real records into the demo store: only "replace the demo" is offered; it swaps in one import
        page.get_by_text(re.compile("holds the synthetic demo data")).first.wait_for()
        assert page.get_by_role("button", name="Import into the database").count() == 0
        page.get_by_role("button", name="Replace the demo data and import").click()
        assert wait_metric_change(page, "Incidents", demo_incidents) == 2
        assert page.get_by_text("SYNTHETIC DEMO DATA").count() == 0, "the banner follows the store"
        frames = Store(db_url).load_frames()
        assert not frames.is_synthetic and sorted(frames.incidents[S.INCIDENT_ID]) == ["R-1", "R-2"]

        # start clean: empty the database from the tab, after a confirmation
        import_tab(page)
        page.get_by_text("Start clean: empty this database").click()
        button = page.get_by_role("button", name="Empty the database")
        assert button.is_disabled(), "nothing is deleted without the confirmation"
        page.get_by_text("Yes, delete everything in this database").click()
        wait_idle(page)
        page.get_by_role("button", name="Empty the database").click()
        page.get_by_text("This database is empty.").wait_for()
        wait_idle(page)
        assert metric(page, "Incidents") == 0
        assert Store(db_url).is_empty()
        page.reload()
        wait_idle(page)
        page.get_by_text("This database is empty.").wait_for()
        assert Store(db_url).is_empty(), "an emptied store is not refilled with the demo"
        assert errors_on_page(page) == []
    finally:
        context.close()
    assert recorder.outside == [], f"requests left the machine: {recorder.outside}"


def test_browser_unreadable_upload_says_what_the_command_line_says(browser, import_server) -> None:
    base_url, _ = import_server
    context, page, recorder = open_page(browser, base_url)
    try:
        upload(page, "scan.csv", bytes(range(256)) * 8)
        message = page.locator('[data-testid="stAlertContentError"]').first
        message.wait_for()
        assert message.inner_text().startswith("scan.csv: binary content that is not a supported format")
        assert page.get_by_text(APP_ERROR).count() == 0
        # a corrupt Parquet file fails inside the reader: the panel's own guard (it is a fragment, so the
        # page's guard does not see its reruns) shows a message, never Streamlit's redacted error
        upload(page, "export.parquet", b"PAR1" + b"\x00not parquet\x01" * 200 + b"PAR1")
        shown = re.compile(r"export\.parquet|internal error \(reference [0-9a-f]{8}")
        page.get_by_text(shown).first.wait_for()
        assert page.get_by_text(APP_ERROR).count() == 0
    finally:
        context.close()
    assert recorder.outside == []
