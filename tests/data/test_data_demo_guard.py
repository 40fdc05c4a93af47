"""Real records never mix with the synthetic demo; --replace-demo and reset start clean (#10, item 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from data import schema as S
from data.__main__ import main
from data._sql import LINK_EVENTS
from data.demo import build_demo_store
from data.demo_guard import mix_of
from data.errors import DemoDataError
from data.importer import import_file
from data.store import Store
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select
from tests.data.conftest import INCIDENT_MAPPING, incident_csv, incident_mapping, write

REAL_ROWS = [
    "R-1,Detroit,2021-06-01,42.36,-83.10,homicide",
    "R-2,Detroit,2021-06-02,42.37,-83.11,shots_fired",
]


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=7, incidents=200)
    return url


def _json_metadata(url: str) -> dict:
    selection = select(Store(url).load_frames(), Filters())
    return json.loads(EXPORTERS["json"].export(selection))["metadata"]


def test_real_file_into_the_demo_store_is_refused_and_nothing_changes(tmp_path: Path, demo_url: str) -> None:
    store = Store(demo_url)
    before = (store.count(S.INCIDENTS), store.dataset_version())
    refused = r"holds the synthetic demo data .*--replace-demo.*reset --db URL --yes"
    with pytest.raises(DemoDataError, match=refused):
        import_file(incident_csv(tmp_path, REAL_ROWS), incident_mapping(), store)
    assert (store.count(S.INCIDENTS), store.dataset_version()) == before
    assert mix_of(store).holds_demo and not mix_of(store).holds_real


def test_cli_refuses_then_replace_demo_swaps_in_one_import(tmp_path: Path, demo_url: str, capsys) -> None:
    path = incident_csv(tmp_path, REAL_ROWS)
    mapping = write(tmp_path, "map.toml", INCIDENT_MAPPING)
    assert _json_metadata(demo_url)["synthetic"] is True
    code = main(["import", str(path), "--mapping", str(mapping), "--db", demo_url])
    err = capsys.readouterr().err
    assert code == 1 and "error: incidents.csv: the database" in err and "Traceback" not in err
    assert Store(demo_url).count(S.INCIDENTS) == 200

    assert main(["import", str(path), "--mapping", str(mapping), "--db", demo_url, "--dry-run"]) == 0
    assert "would be refused without --replace-demo" in capsys.readouterr().out

    code = main(["import", str(path), "--mapping", str(mapping), "--db", demo_url, "--replace-demo"])
    out = capsys.readouterr().out
    assert code == 0 and "replaced the synthetic demo" in out
    store = Store(demo_url)
    assert store.count(S.INCIDENTS) == 2 and store.count(S.LINKS) == 0 and store.count(S.BOUNDARIES) == 0
    frames = store.load_frames()
    assert not frames.is_synthetic and sorted(frames.incidents[S.INCIDENT_ID]) == ["R-1", "R-2"]
    assert _json_metadata(demo_url)["synthetic"] is False, "exports follow what the store holds"
    assert all(not name.startswith("synthetic-demo") for name in store.imports()["file_name"])
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(LINK_EVENTS)).scalar() == 0


def test_replace_demo_rolls_back_with_the_import(tmp_path: Path, demo_url: str, monkeypatch) -> None:
    """The demo is deleted in the import's transaction: a failed write keeps the demo."""
    from data import store as store_module
    from data.errors import StoreError

    def broken_upsert(self, connection, kind, frame):  # type: ignore[no-untyped-def]
        raise StoreError("disk full (simulated)")

    monkeypatch.setattr(store_module.Store, "_upsert", broken_upsert)
    with pytest.raises(StoreError):
        import_file(incident_csv(tmp_path, REAL_ROWS), incident_mapping(), Store(demo_url), replace_demo=True)
    assert Store(demo_url).count(S.INCIDENTS) == 200


def test_demo_into_a_real_store_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    import_file(incident_csv(tmp_path, REAL_ROWS), incident_mapping(), Store(url))
    with pytest.raises(DemoDataError, match="demo data is not mixed into real data"):
        build_demo_store(Store(url), seed=7, incidents=50)
    assert Store(url).count(S.INCIDENTS) == 2


def test_reset_refuses_without_yes_and_empties_with_it(demo_url: str, capsys) -> None:
    assert main(["reset", "--db", demo_url]) == 2
    assert "nothing was deleted" in capsys.readouterr().err
    assert Store(demo_url).count(S.INCIDENTS) == 200
    assert main(["reset", "--db", demo_url, "--yes"]) == 0
    assert "removed 200 incidents" in capsys.readouterr().out
    store = Store(demo_url)
    assert store.is_empty() and store.imports().empty
    assert store.dataset_version() != "empty", "a reset store is not mistaken for a new one (no demo refill)"
    assert main(["demo", "--db", demo_url, "--if-empty", "--incidents", "50"]) == 0  # what `make demo` runs
    assert "emptied on purpose" in capsys.readouterr().out and Store(demo_url).is_empty()
