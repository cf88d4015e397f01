"""Tests for render_config.py and the production Synapse template.

Run with: .venv-synapse/bin/python -m pytest synapse-config/tests -q
The last group loads the rendered production template with the real Synapse 1.163
config loader (in a subprocess of the same interpreter), as the container does.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest
import yaml

CONFIG_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONFIG_DIR))

from render_config import RenderError, main, render  # noqa: E402

TEMPLATE = CONFIG_DIR / "homeserver.production.yaml"
from conftest import SECRET, render_to_file, synapse_python  # noqa: E402


def r(template: str, **env: str) -> str:
    return render(textwrap.dedent(template), env, "t.yaml")[0]


# --- substitution ---------------------------------------------------------------------


def test_substitutes_variables_from_the_environment() -> None:
    assert r("name: ${SERVER}\nurl: https://${SERVER}/\n", SERVER="cpts.fr") == (
        "name: cpts.fr\nurl: https://cpts.fr/\n"
    )


def test_default_applies_when_unset_or_empty_but_not_when_set() -> None:
    tpl = "size: ${SIZE:-50M}\n"
    assert r(tpl) == "size: 50M\n"
    assert r(tpl, SIZE="") == "size: 50M\n"
    assert r(tpl, SIZE="10M") == "size: 10M\n"
    assert r("x: [${EMPTY:-}]\n") == "x: []\n"


def test_missing_variable_error_names_the_variable_and_the_line() -> None:
    with pytest.raises(RenderError) as err:
        r("a: 1\nserver_name: ${SYNAPSE_SERVER_NAME}\n")
    message = str(err.value)
    assert "SYNAPSE_SERVER_NAME" in message
    assert "t.yaml:2" in message
    assert "is not set" in message


def test_empty_variable_without_default_is_an_error() -> None:
    with pytest.raises(RenderError, match=r"SYNAPSE_SERVER_NAME is empty"):
        r("server_name: ${SYNAPSE_SERVER_NAME}\n", SYNAPSE_SERVER_NAME="")


def test_file_convention_reads_and_strips_the_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "db_password"
    secret_file.write_text(f"  {SECRET}\n\n")
    assert r("password: ${DB_PASSWORD}\n", DB_PASSWORD_FILE=str(secret_file)) == (
        f"password: {SECRET}\n"
    )


def test_file_and_direct_value_together_is_an_error(tmp_path: Path) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text(SECRET)
    with pytest.raises(RenderError) as err:
        r("p: ${PW}\n", PW="other", PW_FILE=str(secret_file))
    assert "PW and PW_FILE" in str(err.value)
    assert SECRET not in str(err.value)


def test_unreadable_file_names_the_variable_and_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(RenderError) as err:
        r("p: ${PW}\n", PW_FILE=str(missing))
    assert "PW_FILE" in str(err.value)
    assert str(missing) in str(err.value)


def test_empty_secret_file_is_an_error_unless_a_default_exists(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(RenderError, match=r"PW_FILE.*is empty"):
        r("p: ${PW}\n", PW_FILE=str(empty))
    assert r("p: ${PW:-none}\n", PW_FILE=str(empty)) == "p: none\n"


def test_list_filter_for_the_federation_allow_list() -> None:
    tpl = "federation_domain_whitelist: ${ALLOW:-|list}\n"
    assert yaml.safe_load(r(tpl)) == {"federation_domain_whitelist": []}
    assert yaml.safe_load(r(tpl, ALLOW=" , ")) == {"federation_domain_whitelist": []}
    assert yaml.safe_load(r(tpl, ALLOW="cpts-voisine.fr, ght.example.fr,")) == {
        "federation_domain_whitelist": ["cpts-voisine.fr", "ght.example.fr"]
    }


def test_list_items_are_separated_by_commas_only() -> None:
    with pytest.raises(RenderError, match="ALLOW is a comma-separated list"):
        r("f: ${ALLOW|list}\n", ALLOW="a.fr b.fr")


def test_quote_filter_survives_yaml_special_characters() -> None:
    tricky = 'a"b\\c: #d \' {e}'
    assert yaml.safe_load(r("p: ${PW|quote}\n", PW=tricky)) == {"p": tricky}


def test_unknown_filter_and_malformed_placeholder_are_errors() -> None:
    with pytest.raises(RenderError, match=r"unknown filter \|upper on X"):
        r("a: ${X|upper}\n", X="v")
    with pytest.raises(RenderError, match="malformed placeholder"):
        r("a: ${lower-case}\n")


def test_line_break_in_an_unfiltered_value_is_refused() -> None:
    with pytest.raises(RenderError, match="X holds a line break"):
        r("a: ${X}\n", X="one\nextra_key: injected")


def test_dollar_escape_and_comments_are_left_alone() -> None:
    out = r("# see ${NOT_SET} in the docs\nliteral: $${HOME}\n")
    assert out == "# see ${NOT_SET} in the docs\nliteral: ${HOME}\n"


# --- @if blocks ----------------------------------------------------------------------


BLOCK = """\
    before: 1
    # @if FLAG
    inside: ${INNER}
    # @endif
    after: 2
"""


def test_if_block_kept_when_true_and_dropped_when_false() -> None:
    assert r(BLOCK, FLAG="true", INNER="x") == "before: 1\ninside: x\nafter: 2\n"
    # The variables of a dropped block need not exist.
    assert r(BLOCK, FLAG="off") == "before: 1\nafter: 2\n"


def test_if_negation_default_and_list_conditions() -> None:
    tpl = """\
        # @if !PSC:-false
        psc: off
        # @endif
        # @if ALLOW:-|list
        federation: on
        # @endif
    """
    assert r(tpl) == "psc: off\n"
    assert r(tpl, PSC="yes", ALLOW="a.fr") == "federation: on\n"


def test_if_requires_a_real_boolean() -> None:
    with pytest.raises(RenderError, match="FLAG must be a boolean"):
        r(BLOCK, FLAG="ture", INNER="x")
    with pytest.raises(RenderError, match="FLAG is not set"):
        r(BLOCK)


def test_nested_blocks_and_unbalanced_directives() -> None:
    nested = """\
        # @if A
        a: 1
        # @if B
        b: 1
        # @endif
        # @endif
    """
    assert r(nested, A="1", B="0") == "a: 1\n"
    # Inside a dropped block, inner conditions are not evaluated (B unset is fine).
    assert r(nested, A="0") == ""
    with pytest.raises(RenderError, match="@if without a matching @endif"):
        r("# @if A\na: 1\n", A="1")
    with pytest.raises(RenderError, match="@endif without @if"):
        r("a: 1\n# @endif\n")


# --- the command line ----------------------------------------------------------------


def test_main_writes_0600_file_and_never_prints_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("password: ${DB_PASSWORD|quote}\nname: ${NAME}\n")
    secret_file = tmp_path / "pw"
    secret_file.write_text(SECRET)
    out = tmp_path / "data" / "homeserver.yaml"
    env = {"DB_PASSWORD_FILE": str(secret_file), "NAME": "cpts.fr"}

    assert main(["--template", str(template), "--output", str(out)], env) == 0
    assert yaml.safe_load(out.read_text()) == {"password": SECRET, "name": "cpts.fr"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out.parent.iterdir()) == [out]  # no temp file left behind
    captured = capsys.readouterr()
    assert "DB_PASSWORD" in captured.err
    assert SECRET not in captured.out + captured.err

    # Failure: a missing variable. The previous output is kept, the secret not shown.
    assert main(["--template", str(template), "--output", str(out)], {"DB_PASSWORD_FILE": str(secret_file)}) == 1
    captured = capsys.readouterr()
    assert "NAME is not set" in captured.err
    assert SECRET not in captured.out + captured.err
    assert yaml.safe_load(out.read_text())["name"] == "cpts.fr"


def test_invalid_yaml_is_reported_without_quoting_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("password: ${DB_PASSWORD}\n")  # unquoted: breaks on ": ["
    out = tmp_path / "homeserver.yaml"
    bad = f"{SECRET}: [unclosed"
    assert main(["--template", str(template), "--output", str(out)], {"DB_PASSWORD": bad}) == 1
    captured = capsys.readouterr()
    assert "not valid YAML at line 1" in captured.err
    assert SECRET not in captured.out + captured.err
    assert not out.exists()


def test_main_execs_the_command_after_rendering(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("a: ${A}\n")
    out = tmp_path / "o.yaml"
    calls: list[tuple[str, list[str]]] = []
    argv = ["--template", str(template), "--output", str(out), "--owner", f"{os.getuid()}:{os.getgid()}",
            "--", "/start.py", "run", "--no-secrets-in-config"]
    assert main(argv, {"A": "1"}, execvp=lambda f, a: calls.append((f, a))) == 0
    assert calls == [("/start.py", ["/start.py", "run", "--no-secrets-in-config"])]
    assert out.read_text() == "a: 1\n"
    # Nothing is executed when rendering fails.
    calls.clear()
    assert main(argv, {}, execvp=lambda f, a: calls.append((f, a))) == 1
    assert calls == []


def test_owner_must_be_numeric() -> None:
    with pytest.raises(SystemExit):
        main(["--owner", "synapse"], {})


# --- the production template ---------------------------------------------------------


def render_prod(env: dict[str, str]) -> dict:
    text, _ = render(TEMPLATE.read_text(), env, TEMPLATE.name)
    return yaml.safe_load(text)


def resource_names(config: dict) -> set[str]:
    """What the HTTP listener reached through the proxy serves (the metrics listener aside)."""
    (listener,) = [listener for listener in config["listeners"] if listener["type"] == "http"]
    return {name for res in listener["resources"] for name in res["names"]}


def test_metrics_on_their_own_listener_and_push_without_content(prod_env: dict[str, str]) -> None:
    config = render_prod(prod_env)
    assert config["enable_metrics"] is True
    assert [listener["port"] for listener in config["listeners"] if listener["type"] == "metrics"] == [9000]
    assert config["push"] == {"include_content": False}


def test_template_holds_no_inline_secret() -> None:
    text = TEMPLATE.read_text()
    for key in ("registration_shared_secret", "macaroon_secret_key", "form_secret", "client_secret"):
        for line in text.splitlines():
            assert not line.strip().startswith(f"{key}:"), f"inline {key} in the template"
    config = render_prod({
        "SYNAPSE_SERVER_NAME": "x.fr", "SYNAPSE_PUBLIC_BASEURL": "https://x.fr/",
        "SYNAPSE_DB_PASSWORD": "p", "PSC_ENABLED": "true", "PSC_CLIENT_ID": "c",
    })
    assert config["registration_shared_secret_path"] == "/run/secrets/synapse_registration_shared_secret"
    assert config["macaroon_secret_key_path"] == "/run/secrets/synapse_macaroon_secret_key"
    assert config["form_secret_path"] == "/run/secrets/synapse_form_secret"
    assert config["oidc_providers"][0]["client_secret_path"] == "/run/secrets/psc_client_secret"


def test_template_defaults_match_the_container(prod_env: dict[str, str]) -> None:
    env = {k: v for k, v in prod_env.items() if k != "SYNAPSE_DATA_DIR"}
    config = render_prod(env)
    assert config["signing_key_path"] == "/data/cpts-exemple.fr.signing.key"
    assert config["media_store_path"] == "/data/media_store"
    assert config["database"]["args"]["host"] == "postgres"
    assert config["database"]["args"]["password"] == "db-" + SECRET
    assert config["database"]["name"] == "psycopg2"


def test_federation_closed_without_allow_list(prod_env: dict[str, str]) -> None:
    config = render_prod(prod_env)
    assert config["federation_domain_whitelist"] == []
    # openid: only the OpenID user info, which the call authorisation service checks tokens with.
    assert resource_names(config) == {"client", "openid"}


def test_federation_allow_list_opens_the_listener(prod_env: dict[str, str]) -> None:
    config = render_prod({**prod_env, "SYNAPSE_FEDERATION_ALLOWLIST": "cpts-voisine.fr, ght.example.fr"})
    assert config["federation_domain_whitelist"] == ["cpts-voisine.fr", "ght.example.fr"]
    assert resource_names(config) == {"client", "openid", "federation"}


def test_psc_block_is_absent_unless_enabled(prod_env: dict[str, str]) -> None:
    assert "oidc_providers" not in render_prod(prod_env)
    assert "oidc_providers" not in render_prod({**prod_env, "PSC_ENABLED": "false"})
    with pytest.raises(RenderError, match="PSC_CLIENT_ID is not set"):
        render_prod({**prod_env, "PSC_ENABLED": "true"})


def test_psc_provider_matches_synapse_schema_and_maps_claims(prod_env: dict[str, str]) -> None:
    from synapse.config._util import validate_config
    from synapse.config.oidc import OIDC_PROVIDER_LIST_SCHEMA

    config = render_prod({**prod_env, "PSC_ENABLED": "true", "PSC_CLIENT_ID": "cpts-exemple"})
    providers = config["oidc_providers"]
    validate_config(OIDC_PROVIDER_LIST_SCHEMA, providers, ("oidc_providers",))
    (psc,) = providers
    assert psc["idp_id"] == "psc"
    assert psc["discover"] is False
    assert psc["authorization_endpoint"] == "https://wallet.bas.psc.esante.gouv.fr/auth"
    base = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
    assert psc["issuer"] == base
    assert psc["token_endpoint"] == base + "/protocol/openid-connect/token"
    assert psc["userinfo_endpoint"] == base + "/protocol/openid-connect/userinfo"
    assert psc["jwks_uri"] == base + "/protocol/openid-connect/certs"
    assert psc["scopes"] == ["openid", "scope_all"]
    assert psc["client_secret_path"] == prod_env["PSC_CLIENT_SECRET_PATH"]
    # The first PSC login creates the account (the annuaire verifies it); or links one only.
    assert psc["enable_registration"] is True
    assert psc["allow_existing_users"] is True

    # The templates Synapse's JinjaOidcMappingProvider renders, on PSC-like userinfo.
    userinfo = {"sub": "f:opaque", "SubjectNameID": "810101234567", "given_name": "Camille", "family_name": "Martin"}
    mapping = psc["user_mapping_provider"]["config"]
    jinja = jinja2.Environment()
    def render_claim(key: str) -> str:
        return jinja.from_string(mapping[key]).render(user=userinfo).strip()
    assert render_claim("subject_template") == "810101234567"
    assert render_claim("localpart_template") == "ps810101234567"
    assert render_claim("display_name_template") == "Camille Martin"


def test_psc_account_creation_can_be_turned_off(prod_env: dict[str, str]) -> None:
    env = {**prod_env, "PSC_ENABLED": "true", "PSC_CLIENT_ID": "cpts-exemple"}
    (psc,) = render_prod({**env, "PSC_CREATE_ACCOUNTS": "false"})["oidc_providers"]
    assert psc["enable_registration"] is False
    assert psc["allow_existing_users"] is True
    with pytest.raises(RenderError, match="PSC_CREATE_ACCOUNTS must be a boolean"):
        render_prod({**env, "PSC_CREATE_ACCOUNTS": "peut-etre"})


# --- loading with the real Synapse config loader --------------------------------------


LOAD_SNIPPET = """
import json, sys
from synapse.config.homeserver import HomeServerConfig
c = HomeServerConfig.load_config("", ["-c", sys.argv[1], "--no-secrets-in-config"])
print(json.dumps({
    "server_name": c.server.server_name,
    "encryption_presets": sorted(c.room.encryption_enabled_by_default_for_room_presets),
    "url_preview_enabled": c.media.url_preview_enabled,
    "max_upload_size": c.media.max_upload_size,
    "retention_enabled": c.retention.retention_enabled,
    "retention_default_max_ms": c.retention.retention_default_max_lifetime,
    "retention_allowed_max_ms": c.retention.retention_allowed_lifetime_max,
    "retention_purge_jobs": len(c.retention.retention_purge_jobs),
    "federation_whitelist": c.federation.federation_domain_whitelist,
    "key_servers": len(c.key.key_servers),
    "registration": c.registration.enable_registration,
    "guests": c.registration.allow_guest_access,
    "presence": c.server.presence_enabled,
    "profile_auth": c.server.require_auth_for_profile_requests,
    "profile_shared_rooms": c.server.limit_profile_requests_to_users_who_share_rooms,
    "profile_on_invite": c.server.include_profile_data_on_invite,
    "report_stats": c.metrics.report_stats,
    "push_include_content": c.push.push_include_content,
    "db_engine": c.database.databases[0].config["name"],
    "db_password_ok": c.database.databases[0].config["args"]["password"] == sys.argv[2],
    "macaroon_ok": c.key.macaroon_secret_key == sys.argv[3].encode(),
    "shared_secret_ok": c.registration.registration_shared_secret == sys.argv[4],
    "oidc_enabled": c.oidc.oidc_enabled,
}))
"""


def test_rendered_template_passes_synapse_config_read(prod_env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file(prod_env, tmp_path)
    result = synapse_python(["-m", "synapse.config", "read", "server.server_name", "-c", str(out), "--no-secrets-in-config"])
    assert result.returncode == 0, result.stderr
    assert "Config parses OK!" in result.stdout
    assert "server.server_name: cpts-exemple.fr" in result.stdout


def test_rendered_template_loads_with_the_expected_policy(prod_env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file(prod_env, tmp_path)
    result = synapse_python(["-c", LOAD_SNIPPET, str(out), "db-" + SECRET, "mac-" + SECRET, "reg-" + SECRET])
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    day_ms = 24 * 3600 * 1000
    assert loaded == {
        "server_name": "cpts-exemple.fr",
        "encryption_presets": ["private_chat", "public_chat", "trusted_private_chat"],
        "url_preview_enabled": False,
        "max_upload_size": 50 * 1024 * 1024,
        "retention_enabled": True,
        "retention_default_max_ms": 365 * day_ms,
        "retention_allowed_max_ms": 365 * day_ms,
        "retention_purge_jobs": 2,
        "federation_whitelist": {},
        "key_servers": 0,
        "registration": False,
        "guests": False,
        "presence": False,
        "profile_auth": True,
        "profile_shared_rooms": True,
        "profile_on_invite": False,
        "report_stats": False,
        "push_include_content": False,
        "db_engine": "psycopg2",
        "db_password_ok": True,
        "macaroon_ok": True,
        "shared_secret_ok": True,
        "oidc_enabled": False,
    }


def test_retention_lifetime_is_configurable(prod_env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file({**prod_env, "SYNAPSE_RETENTION_MAX_LIFETIME": "30d"}, tmp_path)
    result = synapse_python(["-c", LOAD_SNIPPET, str(out), "", "", ""])
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["retention_default_max_ms"] == 30 * 24 * 3600 * 1000


def test_the_cpts_policy_module_is_configured(prod_env: dict[str, str]) -> None:
    from cpts_policy import CptsPolicy

    (entry,) = render_prod(prod_env)["modules"]
    assert entry["module"] == "cpts_policy.CptsPolicy"
    policy = CptsPolicy.parse_config(entry["config"])
    assert policy.directory.url == "http://bots:8081"
    assert policy.directory.token == "policy-" + SECRET
    assert policy.directory.cache_seconds == 30
    assert policy.bots == ("accueil", "annuaire", "snp", "equipes", "mssante")
    assert policy.federation_allowlist == frozenset()

    partners = render_prod({
        **prod_env,
        "SYNAPSE_FEDERATION_ALLOWLIST": "cpts-voisine.fr, ght.example.fr",
        "CPTS_POLICY_BOTS": "accueil, annuaire, snp",
        "CPTS_POLICY_DIRECTORY_URL": "http://annuaire:9000",
    })["modules"][0]["config"]
    policy = CptsPolicy.parse_config(partners)
    assert policy.federation_allowlist == frozenset({"cpts-voisine.fr", "ght.example.fr"})
    assert policy.bots == ("accueil", "annuaire", "snp")
    assert policy.directory.url == "http://annuaire:9000"


def test_synapse_refuses_to_start_without_the_policy_token(prod_env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file(prod_env, tmp_path)
    Path(prod_env["CPTS_POLICY_TOKEN_PATH"]).write_text("")
    # The config is read before anything else (the database is never reached).
    result = synapse_python(["-m", "synapse.app.homeserver", "-c", str(out), "--no-secrets-in-config"])
    assert result.returncode != 0
    assert "Error in configuration at 'modules.<item 0>.config.directory.token_file'" in result.stderr
    assert "is empty" in result.stderr


def test_rendered_template_with_psc_loads(prod_env: dict[str, str], tmp_path: Path) -> None:
    # Synapse's OIDC support needs authlib (the `oidc` extra, present in the Docker
    # image); the local venv may not have it, then the schema test above still runs.
    probe = synapse_python(["-c", "import authlib"])
    if probe.returncode != 0:
        pytest.skip("authlib (matrix-synapse[oidc]) is not installed in this interpreter")
    out = render_to_file({**prod_env, "PSC_ENABLED": "true", "PSC_CLIENT_ID": "cpts-exemple"}, tmp_path)
    snippet = (
        "import sys\nfrom synapse.config.homeserver import HomeServerConfig\n"
        "c = HomeServerConfig.load_config('', ['-c', sys.argv[1], '--no-secrets-in-config'])\n"
        "(p,) = c.oidc.oidc_providers\n"
        "print(p.idp_id, p.client_secret == sys.argv[2], p.enable_registration, p.allow_existing_users)\n"
    )
    result = synapse_python(["-c", snippet, str(out), "psc-" + SECRET])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "oidc-psc True True True"


def test_matrixrtc_calls_have_what_element_call_needs(prod_env: dict[str, str]) -> None:
    config = render_prod(prod_env)
    # Delayed events (MSC4140) end the call membership of a participant who vanished.
    assert config["max_event_delay_duration"] == "24h"
    assert config["experimental_features"] == {"msc4222_enabled": True}
    assert config["rc_delayed_event_mgmt"]["burst_count"] >= 10
    assert "matrix_rtc" not in config
    with_calls = render_prod({**prod_env, "CPTS_CALL_LIVEKIT_URL": "https://matrix.cpts-exemple.fr/livekit/jwt"})
    assert with_calls["experimental_features"] == {"msc4222_enabled": True, "msc4143_enabled": True}
    assert with_calls["matrix_rtc"] == {"transports": [{"type": "livekit", "livekit_service_url": "https://matrix.cpts-exemple.fr/livekit/jwt"}]}
