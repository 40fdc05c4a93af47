"""``python -m data users list|grant|revoke`` and the team-mode settings, on a real store file."""

from __future__ import annotations

import json

import pytest

from data import audit
from data.__main__ import main
from data.access import ADMIN, ANALYST, VIEWER, AccessConfigError, User, signed_in_user, team_settings
from data.store import Store
from data.users import find_user, list_users


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'users.sqlite'}"


def test_grant_list_revoke(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["users", "grant", "Ann@PD.gov", "--role", "viewer", "--city", "Memphis", "--agency",
                 "TN0790100", "--db", url, "--as", "chief"])  # fmt: skip
    assert code == 0
    assert "ann@pd.gov  viewer  cities: Memphis  agencies: TN0790100" in capsys.readouterr().out
    assert main(["users", "grant", "bob@pd.gov", "--role", "admin", "--db", url]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--db", url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ann@pd.gov  viewer  cities: Memphis  agencies: TN0790100",
        "bob@pd.gov  admin  cities: all  agencies: all",
    ]
    assert main(["users", "revoke", "ANN@pd.gov", "--db", url]) == 0
    assert "ann@pd.gov has no access now" in capsys.readouterr().out
    assert find_user(Store(url), "ann@pd.gov") == User("ann@pd.gov", None)
    assert [u.role for u in list_users(Store(url))] == [None, ADMIN]


def test_role_changes_are_audited(url: str) -> None:
    main(["users", "grant", "ann@pd.gov", "--role", "analyst", "--city", "Memphis", "--db", url,
          "--as", "chief"])  # fmt: skip
    main(["users", "revoke", "ann@pd.gov", "--db", url, "--as", "chief"])
    changes = [r for r in audit.iter_records(Store(url)) if r.action == "role_change"]
    details = [json.loads(r.details) for r in changes]
    assert [(r.user_name, d["change"], d["role"]) for r, d in zip(changes, details, strict=True)] == [
        ("chief", "grant", "analyst"),
        ("chief", "revoke", None),
    ]
    assert details[0]["cities"] == ["Memphis"]


def test_bad_users_commands_say_why(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "revoke", "ghost@pd.gov", "--db", url]) == 1
    assert "ghost@pd.gov" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["users", "grant", "ann", "--role", "boss", "--db", url])
    assert exit_info.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def test_the_users_table_wins_over_claims() -> None:
    settings = team_settings({"mode": "team", "claim_roles": {"gun-unit": ANALYST, "it": ADMIN}})
    claims = {"sub": "s1", "email": "ann@pd.gov", "groups": ["gun-unit", "it"]}
    assert signed_in_user(claims, settings, None) == User("ann@pd.gov", ADMIN)
    narrowed = User("ann@pd.gov", VIEWER, cities=("Memphis",))
    assert signed_in_user(claims, settings, narrowed) == narrowed
    assert signed_in_user(claims, settings, User("ann@pd.gov", None)).role is None  # revoked
    assert signed_in_user({"sub": "s2"}, settings, None) == User("s2", None)  # no claim: no access


@pytest.mark.parametrize(
    ("section", "env", "named"),
    [
        ({"mode": "teams"}, {}, "mode = 'teams'"),
        ({}, {"BRASSMAP_MODE": "cloud"}, "mode = 'cloud'"),
        ({"idle_timeout_minutes": 0}, {}, "idle_timeout_minutes = 0"),
        ({"idle_timeout_minutes": "soon"}, {}, "idle_timeout_minutes = 'soon'"),
        ({"claim_roles": {"gun-unit": "boss"}}, {}, "claim_roles.gun-unit = 'boss'"),
    ],
)
def test_bad_settings_name_the_key_and_value(section: dict, env: dict, named: str) -> None:
    with pytest.raises(AccessConfigError, match=r"secrets\.toml") as caught:
        team_settings(section, env)
    assert named in str(caught.value)


def test_local_mode_is_the_default_and_the_timeout_is_30_minutes() -> None:
    settings = team_settings(None, {})
    assert not settings.is_team and settings.idle_minutes == 30
    assert team_settings({"mode": "local"}, {"BRASSMAP_MODE": "team"}).is_team  # the environment wins


def test_a_city_or_agency_the_store_does_not_hold_is_pointed_out(tmp_path, capsys) -> None:
    from data.demo import build_demo_store

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert main(["users", "grant", "a@pd.gov", "--role", "viewer", "--city", "Memphs", "--db", url]) == 0
    assert "note" not in capsys.readouterr().err  # an empty store: the grant may come first
    build_demo_store(Store(url), seed=2019, incidents=300)
    capsys.readouterr()
    assert main(["users", "grant", "a@pd.gov", "--role", "viewer", "--city", "Memphs", "--city", "Memphis",
                 "--agency", "XX000", "--db", url]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "city 'Memphs'" in err and "Memphis" in err
    assert "'Memphis'" not in err.split("holds")[0]
    assert "agency 'XX000'" in err
