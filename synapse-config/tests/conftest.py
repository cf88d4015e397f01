"""What the Synapse configuration tests share: the production environment with its secrets
in temporary files, and Synapse's own tools run as the container runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONFIG_DIR))

from render_config import main  # noqa: E402

# Every secret contains it: a test can check that no output quotes a secret.
SECRET = "Sup3r-s3cret-value-do-not-log"


def write_secrets(directory: Path, values: dict[str, str]) -> None:
    directory.mkdir(exist_ok=True)
    for name, value in values.items():
        (directory / name).write_text(value + "\n")


@pytest.fixture
def prod_env(tmp_path: Path) -> dict[str, str]:
    """Environment as docker-compose.yml sets it, with secrets in temp files."""
    secrets = tmp_path / "secrets"
    write_secrets(
        secrets,
        {
            "db_password": "db-" + SECRET,
            "registration": "reg-" + SECRET,
            "macaroon": "mac-" + SECRET,
            "form": "form-" + SECRET,
            "psc": "psc-" + SECRET,
            "cpts_policy_token": "policy-" + SECRET,
        },
    )
    data = tmp_path / "data"
    data.mkdir()
    return {
        "SYNAPSE_SERVER_NAME": "cpts-exemple.fr",
        "SYNAPSE_PUBLIC_BASEURL": "https://matrix.cpts-exemple.fr/",
        "SYNAPSE_DATA_DIR": str(data),
        "SYNAPSE_DB_PASSWORD_FILE": str(secrets / "db_password"),
        "SYNAPSE_REGISTRATION_SHARED_SECRET_PATH": str(secrets / "registration"),
        "SYNAPSE_MACAROON_SECRET_KEY_PATH": str(secrets / "macaroon"),
        "SYNAPSE_FORM_SECRET_PATH": str(secrets / "form"),
        "PSC_CLIENT_SECRET_PATH": str(secrets / "psc"),
        "CPTS_POLICY_TOKEN_PATH": str(secrets / "cpts_policy_token"),
    }


def synapse_python(args: list[str]) -> subprocess.CompletedProcess[str]:
    # The policy module is importable as in the container (PYTHONPATH=/cpts/modules).
    env = {**os.environ, "PYTHONPATH": str(CONFIG_DIR)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, env=env)


def render_to_file(env: dict[str, str], tmp_path: Path) -> Path:
    out = tmp_path / "homeserver.yaml"
    assert main(["--output", str(out)], env) == 0
    # What /start.py does on first start: generate the missing signing key.
    gen = synapse_python(["-m", "synapse.app.homeserver", "-c", str(out), "--generate-keys"])
    assert gen.returncode == 0, gen.stderr
    return out
