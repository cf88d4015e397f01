"""The directory bot's answers about verified members, kept briefly.

The answers are cached for `cache_seconds`, so a member verified or removed in the
directory is seen by Synapse within that delay, without a restart. When the directory
cannot answer, the verification is "unknown" and the caller refuses (fail closed).
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from .rules import Verification

logger = logging.getLogger(__name__)

# Asks the directory; returns whether the account is a verified member, raises otherwise.
FetchVerified = Callable[[str], Awaitable[bool]]

# Expired answers are dropped once the cache holds this many.
_PRUNE_AT = 10_000


class MemberDirectory:
    def __init__(self, fetch: FetchVerified, now_ms: Callable[[], int], cache_seconds: float) -> None:
        self._fetch = fetch
        self._now_ms = now_ms
        self._ttl_ms = int(cache_seconds * 1000)
        self._answers: dict[str, tuple[bool, int]] = {}

    async def verification(self, user_id: str, fresh: bool = False) -> Verification:
        """`fresh` skips the cache (the bots' own invitations follow a verification at once)."""
        now = self._now_ms()
        cached = None if fresh else self._answers.get(user_id)
        if cached is not None and cached[1] > now:
            return "verified" if cached[0] else "not-verified"
        try:
            verified = await self._fetch(user_id)
        except Exception as exc:  # any failure of the directory: refuse, keep Synapse running
            logger.warning(
                "cpts_policy: the directory did not answer for %s (%s: %s); invitation refused",
                user_id,
                type(exc).__name__,
                exc,
            )
            return "unknown"
        if self._ttl_ms > 0:
            if len(self._answers) >= _PRUNE_AT:
                self._answers = {user: answer for user, answer in self._answers.items() if answer[1] > now}
            self._answers[user_id] = (verified, now + self._ttl_ms)
        return "verified" if verified else "not-verified"
