"""The module's configuration: parsed once at Synapse start, typed and frozen.

Every problem raises Synapse's ConfigError with the path of the bad key, which Synapse
prints as `modules.<n>.config.<path>` and refuses to start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

from synapse.module_api.errors import ConfigError

DEFAULT_CACHE_SECONDS = 30.0
DEFAULT_TIMEOUT_SECONDS = 5.0

_USER_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
_LOCALPART = re.compile(r"^[a-z0-9._=\-/+]+$")
# "bot-*": every local account whose localpart starts with "bot-" (the test server's bots,
# created with random names by each test file).
_LOCALPART_PREFIX = re.compile(r"^([a-z0-9._=\-/+]+)\*$")
_SERVER_NAME = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")

_TOP_KEYS = ("directory", "bots", "federation_allowlist")
_DIRECTORY_KEYS = ("url", "token_file", "cache_seconds", "timeout_seconds")


@dataclass(frozen=True)
class DirectoryConfig:
    """Where the directory bot answers "is this account a verified member?"."""

    url: str
    token: str = field(repr=False)
    cache_seconds: float = DEFAULT_CACHE_SECONDS
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


@dataclass(frozen=True)
class PolicyConfig:
    directory: DirectoryConfig
    # The CPTS's own bot accounts: user IDs, or localparts of this server.
    bots: tuple[str, ...] = ()
    # Localpart prefixes of bot accounts (entries "prefix*" of `bots`).
    bot_prefixes: tuple[str, ...] = ()
    # Servers whose users may be invited (and may invite), as in federation_domain_whitelist.
    federation_allowlist: frozenset[str] = frozenset()


def _mapping(value: Any, path: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError("must be a mapping", path)
    return value


def _reject_unknown(raw: Mapping[str, Any], known: tuple[str, ...], path: tuple[str, ...]) -> None:
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown key {key!r} (known: {', '.join(known)})", (*path, str(key)))


def _string_list(value: Any, path: tuple[str, ...]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError("must be a list", path)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ConfigError("must be a non-empty string", (*path, str(index)))
    return [item.strip() for item in value]


def _seconds(raw: Mapping[str, Any], key: str, default: float, path: tuple[str, ...], minimum: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(f"must be a number of seconds, at least {minimum:g}", (*path, key))
    return float(value)


def _read_token(path_value: Any, path: tuple[str, ...]) -> str:
    if not isinstance(path_value, str) or not path_value:
        raise ConfigError("must be the path of the file holding the directory's token", path)
    try:
        with open(path_value, encoding="utf-8") as handle:
            token = handle.read().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read {path_value} ({exc.strerror or type(exc).__name__})", path) from None
    if not token:
        raise ConfigError(f"the file {path_value} is empty", path)
    return token


def _directory(raw_value: Any) -> DirectoryConfig:
    path = ("directory",)
    raw = _mapping(raw_value, path)
    _reject_unknown(raw, _DIRECTORY_KEYS, path)
    url = raw.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError("must be the http(s) base URL of the directory bot, e.g. http://bots:8081", (*path, "url"))
    return DirectoryConfig(
        url=url.rstrip("/"),
        token=_read_token(raw.get("token_file"), (*path, "token_file")),
        cache_seconds=_seconds(raw, "cache_seconds", DEFAULT_CACHE_SECONDS, path, 0),
        timeout_seconds=_seconds(raw, "timeout_seconds", DEFAULT_TIMEOUT_SECONDS, path, 0.1),
    )


def parse_policy_config(raw_value: Any) -> PolicyConfig:
    raw = _mapping(raw_value if raw_value is not None else {}, ())
    _reject_unknown(raw, _TOP_KEYS, ())
    if "directory" not in raw:
        raise ConfigError("missing: the directory bot's url and token_file", ("directory",))

    bots: list[str] = []
    bot_prefixes: list[str] = []
    for index, bot in enumerate(_string_list(raw.get("bots"), ("bots",))):
        prefix = _LOCALPART_PREFIX.match(bot)
        if prefix:
            bot_prefixes.append(prefix.group(1))
        elif _USER_ID.match(bot) or _LOCALPART.match(bot):
            bots.append(bot)
        else:
            raise ConfigError(f"{bot!r} is neither a user ID (@name:server), a localpart nor a localpart prefix (name*)", ("bots", str(index)))

    servers = _string_list(raw.get("federation_allowlist"), ("federation_allowlist",))
    for index, server in enumerate(servers):
        if not _SERVER_NAME.match(server):
            raise ConfigError(f"{server!r} is not a server name", ("federation_allowlist", str(index)))

    return PolicyConfig(
        directory=_directory(raw["directory"]),
        bots=tuple(bots),
        bot_prefixes=tuple(bot_prefixes),
        federation_allowlist=frozenset(servers),
    )
