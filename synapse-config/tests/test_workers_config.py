"""The worker set-up of docker-compose.workers.yml, loaded by Synapse's own config loader:
the production template rendered with SYNAPSE_WORKERS=true, then each process's view of it
(the shared file plus its file in synapse-config/workers/), as the containers start them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CONFIG_DIR, SECRET, render_to_file, synapse_python, write_secrets  # noqa: E402

WORKERS_DIR = CONFIG_DIR / "workers"
WORKER_FILES = sorted(p for p in WORKERS_DIR.glob("synapse-*.yaml"))

# What one process makes of its configuration; argv: [shared, worker file or "", replication secret].
PROCESS_VIEW = """
import json, sys
from synapse.config.homeserver import HomeServerConfig
from synapse.config.workers import MAIN_PROCESS_INSTANCE_MAP_NAME, MAIN_PROCESS_INSTANCE_NAME
args = ["-c", sys.argv[1]] + (["-c", sys.argv[2]] if sys.argv[2] else [])
c = HomeServerConfig.load_config("", args)
listeners = c.worker.worker_listeners if c.worker.worker_app else c.server.listeners
print(json.dumps({
    "app": c.worker.worker_app,
    "name": c.worker.instance_name,
    "redis": [c.redis.redis_host, c.redis.redis_port] if c.redis.redis_enabled else None,
    # Workers see the main process as "master", the main process keeps the name "main".
    "main": [m.host, m.port] if (m := c.worker.instance_map.get(MAIN_PROCESS_INSTANCE_NAME) or c.worker.instance_map.get(MAIN_PROCESS_INSTANCE_MAP_NAME)) else None,
    "federation_senders": c.worker.federation_shard_config.instances,
    "sends_federation": c.worker.send_federation,
    "media_jobs": c.media.media_instance_running_background_jobs,
    "modules": [m[0].__module__ + "." + m[0].__name__ for m in c.modules.loaded_modules],
    "resources": sorted({n for l in listeners if l.http_options for r in l.http_options.resources for n in r.names} if listeners else []),
    "ports": sorted(l.port for l in listeners if l.http_options),
    "replication_secret_ok": c.worker.worker_replication_secret == sys.argv[3],
}))
"""


@pytest.fixture
def shared_config(prod_env: dict[str, str], tmp_path: Path) -> Path:
    write_secrets(tmp_path / "secrets", {"replication": "repl-" + SECRET})
    env = {**prod_env, "SYNAPSE_WORKERS": "true", "SYNAPSE_WORKER_REPLICATION_SECRET_PATH": str(tmp_path / "secrets" / "replication")}
    return render_to_file(env, tmp_path)


def view(shared: Path, worker_file: Path | None) -> dict:
    result = synapse_python(["-c", PROCESS_VIEW, str(shared), str(worker_file or ""), "repl-" + SECRET])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_worker_has_a_file_named_after_it() -> None:
    assert [p.stem for p in WORKER_FILES] == ["synapse-client", "synapse-federation-sender", "synapse-media", "synapse-sync"]


def test_main_process_serves_replication_and_hands_off_federation_and_media_jobs(shared_config: Path) -> None:
    main = view(shared_config, None)
    assert main["app"] is None
    assert main["redis"] == ["redis", 6379]
    assert main["main"] == ["synapse", 9093]
    assert 9093 in main["ports"] and "replication" in main["resources"]
    assert main["federation_senders"] == ["synapse-federation-sender"]
    assert main["sends_federation"] is False
    # The bots still reach the main process, which keeps serving media to them, but the
    # media background jobs run on the media worker only.
    assert main["media_jobs"] == "synapse-media"
    assert main["modules"] == ["cpts_policy.module.CptsPolicy"]
    assert main["replication_secret_ok"] is True


@pytest.mark.parametrize("worker_file", WORKER_FILES, ids=lambda p: p.stem)
def test_each_worker_loads_the_shared_config_and_the_policy_module(shared_config: Path, worker_file: Path) -> None:
    worker = view(shared_config, worker_file)
    assert worker["name"] == worker_file.stem
    assert worker["main"] == ["synapse", 9093]
    assert worker["redis"] == ["redis", 6379]
    assert worker["ports"] == [8008]
    assert worker["modules"] == ["cpts_policy.module.CptsPolicy"]
    assert worker["replication_secret_ok"] is True
    assert worker["sends_federation"] is (worker_file.stem == "synapse-federation-sender")
    expected = {"synapse-sync": ["client"], "synapse-client": ["client"], "synapse-media": ["media"], "synapse-federation-sender": ["health"]}
    assert worker["resources"] == expected[worker_file.stem]
    assert worker["media_jobs"] == "synapse-media"


def test_without_workers_the_template_has_no_worker_keys(prod_env: dict[str, str], tmp_path: Path) -> None:
    main = view(render_to_file(prod_env, tmp_path), None)
    assert main["redis"] is None
    assert main["main"] is None
    assert main["sends_federation"] is True
    assert 9093 not in main["ports"]
