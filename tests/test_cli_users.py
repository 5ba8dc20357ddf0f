"""`hkdash user add|remove|passwd|list`, `hkdash audit` and the settings `hkdash serve` derives from its address."""

from __future__ import annotations

import argparse
import io

import pytest
from auth_helpers import cheap_hashing

import cli
from auth import store


@pytest.fixture
def users_db(tmp_path, monkeypatch):
    cheap_hashing(monkeypatch)
    path = tmp_path / "auth.sqlite3"
    monkeypatch.setenv("HKDASH_AUTH_DB", str(path))
    return path


def run(monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_user_commands(users_db, monkeypatch, capsys):
    assert run(monkeypatch, ["user", "add", "Asha", "--role", "admin", "--password-stdin"], "a long passphrase\n") == 0
    assert run(monkeypatch, ["user", "add", "ravi", "--password-stdin"], "another passphrase\n") == 0
    assert run(monkeypatch, ["user", "add", "ravi", "--password-stdin"], "another passphrase\n") == 2
    assert run(monkeypatch, ["user", "add", "short", "--password-stdin"], "tiny\n") == 2
    assert run(monkeypatch, ["user", "list"]) == 0
    out = capsys.readouterr()
    assert "asha" in out.out and "admin" in out.out and "ravi" in out.out and "viewer" in out.out
    assert "already exists" in out.err and "at least 10" in out.err
    assert "a long passphrase" not in out.out + out.err
    assert (
        run(monkeypatch, ["user", "passwd", "ravi", "--role", "analyst", "--password-stdin"], "changed phrase!\n") == 0
    )
    assert store.verify("ravi", "changed phrase!").role == "analyst"
    assert run(monkeypatch, ["user", "remove", "ravi"]) == 0
    assert run(monkeypatch, ["user", "remove", "ravi"]) == 2
    assert [u.name for u in store.list_users()] == ["asha"]
    capsys.readouterr()
    assert run(monkeypatch, ["audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[3] for line in lines] == ["user_remove", "user_passwd", "user_add", "user_add"]
    assert all(" cli " in line for line in lines)


@pytest.mark.parametrize(
    "host, extra, auth, hosts, secure",
    [
        ("127.0.0.1", [], "off", "127.0.0.1,localhost,::1", "0"),
        ("0.0.0.0", ["dash.example.in"], "password", "dash.example.in,localhost,127.0.0.1,::1", None),
        ("10.0.0.5", [], "password", "10.0.0.5,localhost,127.0.0.1,::1", None),
    ],
)
def test_serve_turns_sign_in_on_off_loopback(host, extra, auth, hosts, secure):
    args = argparse.Namespace(host=host, allowed_host=extra, auth=None)
    settings = cli.serve_environment(args, env={})
    assert settings["HKDASH_AUTH"] == auth and settings["HKDASH_ALLOWED_HOSTS"] == hosts
    assert settings.get("HKDASH_COOKIE_SECURE") == secure
    explicit = cli.serve_environment(argparse.Namespace(host=host, allowed_host=[], auth="header"), env={})
    assert explicit["HKDASH_AUTH"] == "header"


def test_serve_refuses_sign_in_without_an_admin(users_db, monkeypatch, capsys, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    for key in ("HKDASH_AUTH", "HKDASH_ALLOWED_HOSTS", "HKDASH_COOKIE_SECURE"):
        monkeypatch.delenv(key, raising=False)
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "has no admin" in capsys.readouterr().err
