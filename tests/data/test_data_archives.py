"""Archives: bombs, path tricks and symlinks are rejected before anything is extracted."""

from __future__ import annotations

import gzip
import re
import stat
import zipfile

import pytest

from data.archives import Limits, check_zip
from data.errors import ArchiveError
from data.importer import read_validated
from tests.data.conftest import HEADER, incident_mapping


def _zip(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def test_zip_bomb_ratio_rejected(tmp_path):
    bomb = _zip(tmp_path / "bomb.zip", [("big.csv", b"0" * (20 << 20))])
    with pytest.raises(
        ArchiveError, match=r"member 'big.csv' would expand 20,971,520 bytes .* looks like a zip bomb"
    ):
        read_validated(bomb, incident_mapping())
    assert not (tmp_path / "big.csv").exists()


def test_declared_total_size_and_member_count(tmp_path):
    archive = _zip(tmp_path / "many.zip", [(f"f{i}.csv", b"a,b\n1,2\n") for i in range(5)])
    with pytest.raises(ArchiveError, match="5 members is above the limit of 3"):
        check_zip(archive, display_name="many.zip", limits=Limits(max_members=3))
    with pytest.raises(ArchiveError, match="members declare 40 bytes in all, above the 30-byte limit"):
        check_zip(archive, display_name="many.zip", limits=Limits(max_unpacked_bytes=30))


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../escape.csv", "climbs out of the archive with '..'"),
        ("/etc/passwd", "is an absolute path"),
        ("a/../../x.csv", "climbs out of the archive with '..'"),
        ("C:/x.csv", "is an absolute path"),
    ],
)
def test_path_tricks_rejected(tmp_path, name, problem):
    archive = _zip(tmp_path / "tricks.zip", [(name, b"a\n")])
    with pytest.raises(
        ArchiveError, match=re.escape(f"member '{name}' {problem}; rejected before extraction")
    ):
        read_validated(archive, incident_mapping())


def test_symlink_member_rejected(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("data.csv")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(
        ArchiveError, match=r"member 'data\.csv' is a symbolic link; rejected before extraction"
    ):
        read_validated(path, incident_mapping())


def test_gzip_bomb_capped(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"0" * (2 << 20)))
    limits = Limits(max_unpacked_bytes=1 << 20, max_ratio=2)
    with pytest.raises(ArchiveError, match="gzip content expands beyond 1,048,576 bytes"):
        read_validated(path, incident_mapping(), limits=limits)


def test_input_size_limit(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER)
    with pytest.raises(ArchiveError, match="above the 10-byte input limit"):
        read_validated(path, incident_mapping(), limits=Limits(max_input_bytes=10))


def test_zipped_csv_reads_and_several_files_need_a_member(tmp_path):
    row = b"1,Detroit,2019-06-01,42.36,-83.10,homicide\n"
    one = _zip(tmp_path / "one.zip", [("in/incidents.csv", HEADER.encode() + row)])
    assert read_validated(one, incident_mapping()).rows_stored == 1
    two = _zip(tmp_path / "two.zip", [("a.csv", HEADER.encode() + row), ("b.csv", HEADER.encode() + row)])
    with pytest.raises(
        ArchiveError, match=r"several readable files \(a.csv, b.csv\); name one with \[options\] member"
    ):
        read_validated(two, incident_mapping())
    assert read_validated(two, incident_mapping('[options]\nmember = "b.csv"\n')).rows_stored == 1


def test_bomb_of_many_small_members_rejected_by_the_whole_archive_ratio(tmp_path):
    """Each member stays under 1 MiB (so no member trips the per-member check); together they declare
    ~1,000 times the archive's size. Refused from the central directory, before anything is written."""
    member = b"0" * ((1 << 20) - 1)
    with zipfile.ZipFile(tmp_path / "many.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("incidents.csv", HEADER + "1,Detroit,2019-06-01,42.36,-83.10,homicide\n")
        for i in range(150):
            archive.writestr(f"pad/{i:04d}.bin", member)
    bomb = tmp_path / "many.zip"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(
        ArchiveError,
        match=r"many.zip: 151 members declare 157,286,\d+ bytes in all from [\d,]+ bytes on disk "
        r"\(ratio above 200\); looks like a zip bomb, rejected before extraction",
    ):
        read_validated(bomb, incident_mapping(), limits=Limits())
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
