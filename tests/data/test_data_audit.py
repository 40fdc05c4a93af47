"""The audit trail: appends chain, ``audit verify`` names the first broken record, writers never fork.

Tampering is done as an intruder would: straight SQL on the database, behind brassmap's back.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from data import audit
from data.__main__ import main
from data._sql import AUDIT_LOG, META
from data.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def filled(url: str, n: int = 5) -> Store:
    store = Store(url)
    for i in range(1, n + 1):
        audit.append(store, f"analyst{i}", "view", {"filter": f"cities: City{i}", "n": i})
    return store


def verify_cli(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", url, *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).strip()


def row(store: Store, seq: int) -> dict:
    with store.engine.connect() as connection:
        return dict(connection.execute(select(AUDIT_LOG).where(AUDIT_LOG.c.seq == seq)).mappings().one())


def test_an_intact_trail_verifies_with_its_count(db_url, capsys):
    store = filled(db_url)
    code, out = verify_cli(db_url, capsys)
    assert code == 0
    assert out.startswith("audit trail OK: 5 records, head 5:") and out.count("\n") == 0
    records = list(audit.iter_records(store))
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert records[2].user_name == "analyst3" and records[2].detail == {"filter": "cities: City3", "n": 3}
    assert records[2].recorded_at.endswith("+00:00")
    assert audit.head(store) == f"5:{records[-1].hash}"


def test_an_empty_trail_is_ok(db_url, capsys):
    Store(db_url)
    assert verify_cli(db_url, capsys) == (0, "audit trail OK: 0 records, head (empty)")


def test_an_edited_record_is_named(db_url, capsys):
    store = filled(db_url)
    with store.engine.begin() as connection:
        connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == 3)
                           .values(details=audit.canonical_json({"filter": "cities: Elsewhere", "n": 3})))
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith("audit trail BROKEN at record 3: record 3 was changed")


def test_an_edited_user_is_named_even_when_its_hash_is_recomputed(db_url, capsys):
    store = filled(db_url)
    old = row(store, 2)
    forged = audit.record_hash(2, audit.time_text(old["recorded_at"]), "someone_else", old["action"],
                               old["details"], old["prev_hash"])  # fmt: skip
    with store.engine.begin() as connection:
        connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == 2)
                           .values(user_name="someone_else", hash=forged))
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert "BROKEN at record 3: record 3 does not follow record 2" in out and "record 2 was rewritten" in out


@pytest.mark.parametrize("seq", [1, 3])
def test_a_deleted_record_in_the_middle_is_named(db_url, capsys, seq):
    store = filled(db_url)
    with store.engine.begin() as connection:
        connection.execute(delete(AUDIT_LOG).where(AUDIT_LOG.c.seq == seq))
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith(f"audit trail BROKEN at record {seq}: record {seq} is missing (deleted)")


def test_the_deleted_last_record_is_named(db_url, capsys):
    store = filled(db_url)
    with store.engine.begin() as connection:
        connection.execute(delete(AUDIT_LOG).where(AUDIT_LOG.c.seq == 5))
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith("audit trail BROKEN at record 5: record 5 is missing (deleted)")
    assert "the chain head says the last record is 5" in out


def test_a_deleted_record_with_the_rest_renumbered_is_named(db_url, capsys):
    store = filled(db_url)
    last = row(store, 5)
    with store.engine.begin() as connection:
        connection.execute(delete(AUDIT_LOG).where(AUDIT_LOG.c.seq == 3))
        for seq in (4, 5):
            connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == seq).values(seq=seq - 1))
        connection.execute(update(META).where(META.c.key == audit.HEAD_KEY).values(value=f"4:{last['hash']}"))
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith("audit trail BROKEN at record 3: record 3 does not follow record 2")


def test_every_record_deleted_is_caught(db_url, capsys):
    store = filled(db_url, 2)
    with store.engine.begin() as connection:
        connection.execute(delete(AUDIT_LOG))
    code, out = verify_cli(db_url, capsys)
    assert code == 1 and "BROKEN at record 1: record 1 is missing" in out


def test_a_record_inserted_in_the_middle_is_named(db_url, capsys):
    """The intruder makes room at seq 3 and writes a record that chains correctly onto record 2."""
    store = filled(db_url)
    before = row(store, 2)
    with store.engine.begin() as connection:
        for seq in (5, 4, 3):  # top down, so the primary key never collides
            connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == seq).values(seq=seq + 1))
        at = audit.time_text(before["recorded_at"])
        body = audit.canonical_json({"note": "forged"})
        digest = audit.record_hash(3, at, "intruder", "export", body, before["hash"])
        # the old record 3 (now 4) holds record 2's hash; UNIQUE forbids a second one: point it at the forgery
        connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == 4).values(prev_hash=digest))
        connection.execute(insert(AUDIT_LOG).values(seq=3, recorded_at=before["recorded_at"],
                                                    user_name="intruder", action="export", details=body,
                                                    prev_hash=before["hash"], hash=digest))  # fmt: skip
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith("audit trail BROKEN at record 4: record 4 was changed")


def test_a_record_inserted_after_the_head_is_named(db_url, capsys):
    store = filled(db_url, 3)
    last = row(store, 3)
    at = audit.time_text(last["recorded_at"])
    digest = audit.record_hash(4, at, "intruder", "view", "{}", last["hash"])
    with store.engine.begin() as connection:
        connection.execute(insert(AUDIT_LOG).values(seq=4, recorded_at=last["recorded_at"],
                                                    user_name="intruder", action="view", details="{}",
                                                    prev_hash=last["hash"], hash=digest))  # fmt: skip
    code, out = verify_cli(db_url, capsys)
    assert code == 1
    assert out.startswith("audit trail BROKEN at record 4: record 4 was inserted after the chain head")


def test_a_deleted_head_is_caught(db_url, capsys):
    store = filled(db_url, 2)
    with store.engine.begin() as connection:
        connection.execute(delete(META).where(META.c.key == audit.HEAD_KEY))
    code, out = verify_cli(db_url, capsys)
    assert code == 1 and "the chain head is missing" in out


def test_a_rewritten_tail_is_caught_by_a_head_kept_outside(db_url, capsys):
    """Rewriting every later record and the head fools the chain; a head kept elsewhere does not."""
    store = filled(db_url, 4)
    _, out = verify_cli(db_url, capsys)
    kept = out.rsplit("head ", 1)[1]
    assert kept == audit.head(store)
    first = row(store, 1)
    with store.engine.begin() as connection:
        connection.execute(delete(AUDIT_LOG))
        connection.execute(delete(META).where(META.c.key == audit.HEAD_KEY))
    for i in range(4):  # the intruder rebuilds a clean-looking trail of the same length
        audit.append(store, "intruder", "view", {"n": i}, now=first["recorded_at"])
    assert verify_cli(db_url, capsys)[0] == 0
    code, out = verify_cli(db_url, capsys, "--head", kept)
    assert code == 1 and "BROKEN at record 4: record 4 differs from the head kept outside" in out


def test_the_table_refuses_a_fork(db_url):
    store = filled(db_url, 2)
    first = row(store, 1)
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(AUDIT_LOG).values(seq=3, recorded_at=first["recorded_at"], user_name="x",
                                                    action="view", details="{}", prev_hash=first["hash"],
                                                    hash="e" * 64))  # fmt: skip


def test_unknown_actions_and_empty_users_are_refused(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with pytest.raises(audit.AuditError, match="unknown audit action 'viewed'"):
        audit.append(store, "jdoe", "viewed", {})
    with pytest.raises(audit.AuditError, match="needs a user"):
        audit.append(store, " ", "view", {})
    assert audit.count(store) == 0


_WRITER = """
import sys
sys.path.insert(0, {root!r})
from data import audit
from data.store import Store
store = Store({url!r})
for i in range({n}):
    audit.append(store, {who!r}, "view", {{"i": i}})
"""


def test_two_processes_appending_at_once_never_fork_the_chain(db_url):
    Store(db_url)
    n = 40
    who = ("writer_a", "writer_b")
    scripts = [_WRITER.format(root=str(REPO_ROOT), url=db_url, n=n, who=name) for name in who]
    writers = [subprocess.Popen([sys.executable, "-c", script]) for script in scripts]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    store = Store(db_url)
    records = list(audit.iter_records(store))
    assert [r.seq for r in records] == list(range(1, 2 * n + 1))
    assert sorted(r.user_name for r in records) == ["writer_a"] * n + ["writer_b"] * n
    times = [r.recorded_at for r in records]
    assert times == sorted(times), "times go back along the chain"
    assert audit.verify(store).ok


def test_details_are_canonical_json():
    text = audit.canonical_json({"z": 1, "a": {"y": (2, 3)}, "s": {"b", "a"}})
    assert text == '{"a":{"y":[2,3]},"s":["a","b"],"z":1}'
    assert json.loads(text)["s"] == ["a", "b"]


# ------------------------------------------------------------------ the command line records who acts
def test_import_is_recorded_as_the_os_user_or_as_given(db_url, tmp_path, capsys):
    from data.access import os_user_name
    from data.store import sha256_of
    from tests.data.conftest import INCIDENT_MAPPING, incident_csv, write

    url = db_url
    mapping = write(tmp_path, "map.toml", INCIDENT_MAPPING)
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,homicide",
                                   "2,Detroit,2019-06-01,0,0,homicide"])  # fmt: skip
    assert main(["import", str(path), "--mapping", str(mapping), "--db", url]) == 0
    assert main(["import", str(path), "--mapping", str(mapping), "--db", url, "--as", "A. Analyst"]) == 0
    bad = incident_csv(tmp_path, ["9,Detroit,2019-06-01,0,0,homicide"], name="bad.csv")
    assert main(["import", str(bad), "--mapping", str(mapping), "--db", url, "--as", "A. Analyst"]) == 1
    capsys.readouterr()
    first, second, refused = audit.iter_records(Store(url))
    assert (first.user_name, first.action) == (os_user_name(), "import")
    assert "os_user" not in first.detail
    wanted = {"file_name": "incidents.csv", "sha256": sha256_of(path), "rows_read": 2, "rows_stored": 1,
              "rows_rejected": 1, "outcome": "stored", "via": "command line"}  # fmt: skip
    assert {key: first.detail.get(key) for key in wanted} == wanted
    assert (second.user_name, second.detail["os_user"]) == ("A. Analyst", os_user_name())
    assert refused.user_name == "A. Analyst" and refused.detail["outcome"] == "refused"
    assert refused.detail["sha256"] == sha256_of(bad) and "every one of the 1 rows" in refused.detail["error"]


def test_reset_is_recorded_and_the_trail_survives_it(tmp_path, capsys):
    from tests.data.conftest import INCIDENT_MAPPING, incident_csv, write

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,homicide"])
    main(["import", str(path), "--mapping", str(write(tmp_path, "m.toml", INCIDENT_MAPPING)), "--db", url])
    assert main(["reset", "--db", url, "--yes", "--as", "admin1"]) == 0
    capsys.readouterr()
    records = list(audit.iter_records(Store(url)))
    assert [r.action for r in records] == ["import", "reset"]
    assert records[1].user_name == "admin1" and records[1].detail["removed"]["incidents"] == 1
    assert verify_cli(url, capsys)[0] == 0


def test_audit_export_is_formula_safe_reads_back_and_is_recorded(db_url, tmp_path, capsys):
    import csv
    import datetime as dt

    from data.store import sha256_of

    url = db_url
    store = Store(url)
    old = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
    audit.append(store, "=HYPERLINK(\"http://x\")", "search", {"text": "+1-555"}, now=old)
    audit.append(store, "jdoe", "view", {"filter": "cities: all"}, now=old + dt.timedelta(days=30))
    audit.append(store, "@jane", "export", {"format": "csv"}, now=old + dt.timedelta(days=31))
    out = tmp_path / "trail.csv"
    assert main(["audit", "export", "--db", url, "--out", str(out), "--as", "auditor"]) == 0
    printed = capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(audit.COLUMNS)
    assert [r["user_name"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "jdoe", "'@jane"]
    assert [r["seq"] for r in rows] == ["1", "2", "3"]
    assert json.loads(rows[0]["details"]) == {"text": "+1-555"}
    assert rows[1]["recorded_at"] == "2026-02-04T12:00:00.000000+00:00"
    records = list(audit.iter_records(store))
    assert rows[2]["hash"] == records[2].hash
    recorded = records[-1]
    assert (recorded.action, recorded.user_name) == ("audit_export", "auditor")
    assert recorded.detail["sha256"] == sha256_of(out) and recorded.detail["rows"] == 3
    assert printed.startswith(sha256_of(out))

    since = tmp_path / "since.csv"
    assert main(["audit", "export", "--db", url, "--out", str(since), "--since", "2026-02-01", "--user",
                 "jdoe"]) == 0  # fmt: skip
    with since.open(encoding="utf-8-sig", newline="") as handle:
        assert [r["seq"] for r in csv.DictReader(handle)] == ["2"]
    assert audit.verify(store).ok


def test_audit_export_refuses_a_missing_folder(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    code = main(["audit", "export", "--db", url, "--out", str(tmp_path / "no" / "t.csv")])
    assert code == 2 and "does not exist; create it first" in capsys.readouterr().err


def test_a_role_change_is_recorded_with_who_made_it(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    assert main(["users", "grant", "jdoe@pd.example", "--role", "viewer", "--city", "Memphis", "--db", url,
                 "--as", "chief@pd.example"]) == 0  # fmt: skip
    assert main(["users", "revoke", "jdoe@pd.example", "--db", url]) == 0
    capsys.readouterr()
    granted, revoked = audit.iter_records(Store(url))
    assert (granted.action, granted.user_name) == ("role_change", "chief@pd.example")
    assert {k: granted.detail[k] for k in ("change", "user", "role", "cities")} == {
        "change": "grant", "user": "jdoe@pd.example", "role": "viewer", "cities": ["Memphis"]}
    assert revoked.detail["change"] == "revoke" and revoked.detail["role"] is None


def test_an_append_does_not_wait_for_an_import_holding_the_stores_write_lock(pg_url):
    """PostgreSQL: an import holds the store's write lock for its transaction; views are still recorded."""
    import threading

    from sqlalchemy import text

    from data.store import WRITE_LOCK_KEY

    store = Store(pg_url)
    done = threading.Event()
    with store.engine.connect() as importing, importing.begin():
        importing.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        writer = threading.Thread(target=lambda: (audit.append(store, "viewer", "view", {}), done.set()))
        writer.start()
        appended_meanwhile = done.wait(timeout=20)
    writer.join(timeout=60)
    assert appended_meanwhile, "the audit append waited for the import's lock"
    assert audit.verify(store).ok
