"""cpts_policy: the module configuration, parsed at Synapse start.

Run with: .venv-synapse/bin/python -m pytest synapse-config/tests -q
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

CONFIG_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONFIG_DIR))

from cpts_policy import CptsPolicy  # noqa: E402
from cpts_policy.config import PolicyConfig  # noqa: E402
from synapse.module_api.errors import ConfigError  # noqa: E402

TOKEN = "s3cret-policy-token-never-logged"


@pytest.fixture
def token_file(tmp_path: Path) -> str:
    path = tmp_path / "policy_token"
    path.write_text(TOKEN + "\n")
    return str(path)


def parse(raw: Any) -> PolicyConfig:
    return CptsPolicy.parse_config(raw)


def error_of(raw: Any) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        parse(raw)
    return err.value


def test_full_configuration(token_file: str) -> None:
    config = parse({
        "directory": {"url": "http://bots:8081/", "token_file": token_file, "cache_seconds": 10, "timeout_seconds": 2.5},
        "bots": ["@accueil:cpts.fr", "annuaire"],
        "federation_allowlist": ["cpts-voisine.fr", " ght.example.fr "],
    })
    assert config.directory.url == "http://bots:8081"
    assert config.directory.token == TOKEN
    assert config.directory.cache_seconds == 10.0
    assert config.directory.timeout_seconds == 2.5
    assert config.bots == ("@accueil:cpts.fr", "annuaire")
    assert config.federation_allowlist == frozenset({"cpts-voisine.fr", "ght.example.fr"})


def test_a_bots_entry_ending_in_a_star_is_a_localpart_prefix(token_file: str) -> None:
    config = parse({"directory": {"url": "http://bots:8081", "token_file": token_file}, "bots": ["annuaire", "bot-*"]})
    assert config.bots == ("annuaire",)
    assert config.bot_prefixes == ("bot-",)


def test_defaults_and_the_token_stays_out_of_repr(token_file: str) -> None:
    config = parse({"directory": {"url": "https://annuaire.internal", "token_file": token_file}})
    assert config.directory.cache_seconds == 30.0
    assert config.directory.timeout_seconds == 5.0
    assert config.bots == ()
    assert config.federation_allowlist == frozenset()
    assert TOKEN not in repr(config)
    assert config.bot_prefixes == ()
    # Lists left empty in a rendered template come as None.
    assert parse({"directory": {"url": "http://bots:8081", "token_file": token_file}, "bots": None}).bots == ()


def test_a_cache_of_zero_seconds_is_allowed(token_file: str) -> None:
    assert parse({"directory": {"url": "http://b", "token_file": token_file, "cache_seconds": 0}}).directory.cache_seconds == 0


@pytest.mark.parametrize(
    ("raw", "path", "words"),
    [
        ([], (), "mapping"),
        ({}, ("directory",), "missing"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN"}, "bot": []}, ("bot",), "unknown key 'bot'"),
        ({"directory": "http://b"}, ("directory",), "mapping"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN", "ttl": 3}}, ("directory", "ttl"), "unknown key"),
        ({"directory": {"token_file": "TOKEN"}}, ("directory", "url"), "http(s) base URL"),
        ({"directory": {"url": "bots:8081", "token_file": "TOKEN"}}, ("directory", "url"), "http(s) base URL"),
        ({"directory": {"url": "ftp://bots", "token_file": "TOKEN"}}, ("directory", "url"), "http(s) base URL"),
        ({"directory": {"url": "http://b?x=1", "token_file": "TOKEN"}}, ("directory", "url"), "http(s) base URL"),
        ({"directory": {"url": "http://b"}}, ("directory", "token_file"), "path of the file"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN", "cache_seconds": -1}}, ("directory", "cache_seconds"), "number of seconds"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN", "cache_seconds": "30s"}}, ("directory", "cache_seconds"), "number of seconds"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN", "timeout_seconds": 0}}, ("directory", "timeout_seconds"), "at least 0.1"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN", "timeout_seconds": True}}, ("directory", "timeout_seconds"), "number of seconds"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN"}, "bots": "accueil"}, ("bots",), "must be a list"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN"}, "bots": ["accueil", ""]}, ("bots", "1"), "non-empty string"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN"}, "bots": ["Accueil Bot"]}, ("bots", "0"), "neither a user ID"),
        ({"directory": {"url": "http://b", "token_file": "TOKEN"}, "federation_allowlist": ["a.fr", "b c"]}, ("federation_allowlist", "1"), "not a server name"),
    ],
)
def test_each_problem_names_its_key(token_file: str, raw: Any, path: tuple[str, ...], words: str) -> None:
    def with_token(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (token_file if v == "TOKEN" else with_token(v)) for k, v in value.items()}
        return value

    err = error_of(with_token(raw))
    assert tuple(err.path or ()) == path
    assert words in err.msg


def test_unreadable_or_empty_token_file_is_named_without_its_content(tmp_path: Path) -> None:
    err = error_of({"directory": {"url": "http://b", "token_file": str(tmp_path / "absent")}})
    assert err.path == ("directory", "token_file")
    assert "cannot read" in err.msg and "absent" in err.msg
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    err = error_of({"directory": {"url": "http://b", "token_file": str(empty)}})
    assert err.path == ("directory", "token_file")
    assert "is empty" in err.msg


def test_synapse_reports_the_full_path_of_a_bad_key(token_file: str) -> None:
    from synapse.config._base import format_config_error
    from synapse.util.module_loader import load_module

    provider = {"module": "cpts_policy.CptsPolicy", "config": {"directory": {"url": "nope", "token_file": token_file}}}
    with pytest.raises(ConfigError) as err:
        load_module(provider, ("modules", "<item 0>"))
    text = "".join(format_config_error(err.value))
    assert "modules.<item 0>.config.directory.url" in text
    assert "http(s) base URL" in text
