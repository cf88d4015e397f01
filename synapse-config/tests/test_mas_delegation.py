"""Sign-in delegated to the Matrix Authentication Service (MAS_ENABLED=true).

The production template, rendered as the container does, loaded by the real Synapse 1.163
config loader (its stable `matrix_authentication_service` section; the experimental msc3861
section is gone from this version), and the MAS template's Pro Santé Connect mapping
rendered on PSC-like claims next to Synapse's own mapping: the same account names.
The MAS side is validated against MAS's schema in test/mas-config.test.ts.

Run with: .venv-synapse/bin/python -m pytest synapse-config/tests -q
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

CONFIG_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONFIG_DIR))

from render_config import render  # noqa: E402

TEMPLATE = CONFIG_DIR / "homeserver.production.yaml"
MAS_TEMPLATE = CONFIG_DIR / "mas" / "config.template.yaml"
from conftest import SECRET, render_to_file, synapse_python, write_secrets  # noqa: E402


@pytest.fixture
def env(prod_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The synapse service's environment with MAS and PSC on, secrets in temp files."""
    write_secrets(tmp_path / "secrets", {"mas_synapse_secret": "mas-" + SECRET})
    return {
        **prod_env,
        "MAS_SYNAPSE_SECRET_PATH": str(tmp_path / "secrets" / "mas_synapse_secret"),
        "PSC_ENABLED": "true",
        "PSC_CLIENT_ID": "cpts-exemple",
        "MAS_ENABLED": "true",
    }


LOAD_SNIPPET = """
import json, sys
from synapse.config.homeserver import HomeServerConfig
c = HomeServerConfig.load_config("", ["-c", sys.argv[1], "--no-secrets-in-config"])
print(json.dumps({
    "mas_enabled": c.mas.enabled,
    "mas_endpoint": str(c.mas.endpoint),
    "mas_secret_ok": c.mas.secret() == sys.argv[2],
    "oidc_enabled": c.oidc.oidc_enabled,
    "password_login": c.auth.password_enabled_for_login,
    "registration": c.registration.enable_registration,
    "msc4108": c.experimental.msc4108_enabled,
    "msc4108_delegated": c.experimental.msc4108_delegation_endpoint,
    "msc4388": c.experimental.msc4388_enabled,
    "msc4388_needs_auth": c.experimental.msc4388_requires_authentication,
    "modules": [m[0].__name__ for m in c.modules.loaded_modules],
}))
"""


def test_synapse_loads_the_delegation_to_mas(env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file(env, tmp_path)
    result = synapse_python(["-c", LOAD_SNIPPET, str(out), "mas-" + SECRET])
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {
        "mas_enabled": True,
        # Inside the compose network: the `mas` service's web listener.
        "mas_endpoint": "http://mas:8080/",
        "mas_secret_ok": True,
        # PSC moves to MAS: Synapse's own SSO is dropped even with PSC_ENABLED=true.
        "oidc_enabled": False,
        "password_login": False,
        "registration": False,
        # QR-code login: both rendezvous protocols served by Synapse itself.
        "msc4108": True,
        "msc4108_delegated": None,
        "msc4388": True,
        "msc4388_needs_auth": False,
        # The CPTS room policy still applies to everyone.
        "modules": ["CptsPolicy"],
    }
    assert SECRET not in out.read_text().replace("db-" + SECRET, "")


def test_synapse_config_read_accepts_it(env: dict[str, str], tmp_path: Path) -> None:
    out = render_to_file(env, tmp_path)
    result = synapse_python(["-m", "synapse.config", "read", "mas.enabled", "-c", str(out), "--no-secrets-in-config"])
    assert result.returncode == 0, result.stderr
    assert "Config parses OK!" in result.stdout


def test_mas_off_keeps_synapse_sign_in(env: dict[str, str]) -> None:
    text, _ = render(TEMPLATE.read_text(), {**env, "MAS_ENABLED": "false"}, TEMPLATE.name)
    config = yaml.safe_load(text)
    assert "matrix_authentication_service" not in config
    assert "msc4108_enabled" not in config["experimental_features"]
    assert "msc4388_mode" not in config["experimental_features"]
    assert config["oidc_providers"][0]["idp_id"] == "psc"


def test_synapse_refuses_sso_next_to_mas(env: dict[str, str], tmp_path: Path) -> None:
    """Why the template drops oidc_providers with MAS on: Synapse would not start."""
    out = render_to_file({**env, "MAS_ENABLED": "false"}, tmp_path)
    both = yaml.safe_load(out.read_text())
    delegated = yaml.safe_load(render(TEMPLATE.read_text(), env, TEMPLATE.name)[0])
    both["matrix_authentication_service"] = delegated["matrix_authentication_service"]
    out.write_text(yaml.safe_dump(both))
    result = synapse_python(["-m", "synapse.config", "read", "mas.enabled", "-c", str(out), "--no-secrets-in-config"])
    assert result.returncode != 0
    assert "SSO cannot be enabled when OAuth delegation is enabled" in result.stderr


def test_mas_maps_psc_claims_to_the_same_accounts_as_synapse(env: dict[str, str]) -> None:
    """MAS (MiniJinja) and Synapse (Jinja2) get the same templates: the same names result."""
    synapse = yaml.safe_load(render(TEMPLATE.read_text(), {**env, "MAS_ENABLED": "false"}, TEMPLATE.name)[0])
    mas = yaml.safe_load(render(MAS_TEMPLATE.read_text(), {
        "SYNAPSE_SERVER_NAME": "cpts-exemple.fr",
        "MAS_HOST": "auth.cpts-exemple.fr",
        "CPTS_NAME": "CPTS Exemple",
        "CPTS_PRIVACY_URL": "https://cpts-exemple.fr/confidentialite",
        "PSC_ENABLED": "true",
        "PSC_CLIENT_ID": "cpts-exemple",
    }, MAS_TEMPLATE.name)[0])
    mapping = synapse["oidc_providers"][0]["user_mapping_provider"]["config"]
    (provider,) = mas["upstream_oauth2"]["providers"]
    claims = provider["claims_imports"]
    userinfo = {"sub": "f:opaque", "SubjectNameID": "810101234567", "given_name": "Camille", "family_name": "MARTIN"}
    jinja = jinja2.Environment()

    def rendered(template: str) -> str:
        return jinja.from_string(template).render(user=userinfo).strip()

    assert rendered(claims["subject"]["template"]) == rendered(mapping["subject_template"]) == "810101234567"
    assert rendered(claims["localpart"]["template"]) == rendered(mapping["localpart_template"]) == "ps810101234567"
    assert rendered(claims["displayname"]["template"]) == rendered(mapping["display_name_template"]) == "Camille MARTIN"
    # syn2mas finds Synapse's links of this provider under its internal name.
    assert provider["synapse_idp_id"] == "oidc-" + synapse["oidc_providers"][0]["idp_id"]
