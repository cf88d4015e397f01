"""The Synapse adapter: registers the callbacks and turns the pure rules into answers.

Callbacks chosen so that server admins are not exempt: Synapse skips the spam checker's
`user_may_invite` and `user_may_create_room` for admins, but runs the third-party rules
`check_event_allowed` (every event created on this server), `on_create_room` and
`check_visibility_can_be_modified` for everyone. Invitations coming from other servers go
through the spam checker's `federated_user_may_invite`.

Every callback is guarded: an unexpected error is logged and answered with a safe default
(refuse what the policy guards, let the rest through), never raised into Synapse.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, Mapping, TypeVar
from urllib.parse import quote

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from synapse.module_api import (
    NOT_SPAM,
    EventBase,
    ModuleApi,
    Requester,
    StateMap,
    make_deferred_yieldable,
)
from synapse.module_api.errors import Codes, ConfigError, SynapseError

from .config import PolicyConfig, parse_policy_config
from .directory import FetchVerified, MemberDirectory
from .rules import (
    CREATE,
    DIRECT_MARKER,
    ENCRYPTION,
    MEMBER,
    POLICY_FAILED,
    REDACTION,
    InvitePolicy,
    Refusal,
    Verification,
    amended_creation,
    creation_refusal,
    direct_room_refusal,
    fail_safe_allows,
    invitees,
    is_bot_direct_message,
    present_members,
    redaction_refusal,
    state_event_refusal,
    visibility_refusal,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _refuse(refusal: Refusal) -> SynapseError:
    return SynapseError(403, refusal.message, Codes.FORBIDDEN)


def _guarded(fallback: Callable[..., Any]) -> Callable[[Callable[..., Awaitable[T]]], Callable[..., Awaitable[T]]]:
    """Deliberate refusals (SynapseError) pass; any other error is logged and gets `fallback(*args)`."""

    def decorate(callback: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        @functools.wraps(callback)
        async def guarded(self: "CptsPolicy", *args: Any) -> T:
            try:
                return await callback(self, *args)
            except SynapseError:
                raise
            except Exception:
                logger.exception("cpts_policy: %s failed; answered with the safe default", callback.__name__)
                return fallback(*args)

        return guarded

    return decorate


def _event_fallback(event: EventBase, _state: StateMap[EventBase]) -> tuple[bool, None]:
    return fail_safe_allows(event.type), None


def _creation_fallback(*_args: Any) -> None:
    raise _refuse(POLICY_FAILED)


class CptsPolicy:
    """modules: [{module: cpts_policy.CptsPolicy, config: {...}}] (see config.py)."""

    @staticmethod
    def parse_config(config: Mapping[str, Any]) -> PolicyConfig:
        return parse_policy_config(config)

    def __init__(self, config: PolicyConfig, api: ModuleApi, fetch_verified: FetchVerified | None = None) -> None:
        self._config = config
        self._api = api
        bots = [api.get_qualified_user_id(bot) for bot in config.bots]
        for index, bot in enumerate(bots):
            if not api.is_mine(bot):
                raise ConfigError(f"{bot} is not an account of this server", ("bots", str(index)))
        self._policy = InvitePolicy(api.server_name, frozenset(bots), config.federation_allowlist, config.bot_prefixes)
        self._directory = MemberDirectory(fetch_verified or self._fetch_verified, api.get_current_time_msec, config.directory.cache_seconds)
        api.register_third_party_rules_callbacks(
            check_event_allowed=self.check_event_allowed,
            on_create_room=self.on_create_room,
            check_visibility_can_be_modified=self.check_visibility_can_be_modified,
            check_threepid_can_be_invited=self.check_threepid_can_be_invited,
        )
        api.register_spam_checker_callbacks(federated_user_may_invite=self.federated_user_may_invite)

    # --- callbacks ---------------------------------------------------------------------

    @_guarded(_event_fallback)
    async def check_event_allowed(self, event: EventBase, state: StateMap[EventBase]) -> tuple[bool, None]:
        # SynapseError raised here reaches the client with its message (Synapse lets it through).
        refusal = await self._event_refusal(event, state)
        if refusal is not None:
            logger.info("cpts_policy: refused %s from %s in %s: %s", event.type, event.sender, event.room_id, refusal.reason)
            raise _refuse(refusal)
        return True, None

    @_guarded(_creation_fallback)
    async def on_create_room(self, requester: Requester, request: dict[str, Any], is_requester_admin: bool) -> None:
        creator = requester.user.to_string()
        refusal = creation_refusal(self._policy, creator, request) or await self._creation_invites_refusal(creator, request)
        if refusal is not None:
            logger.info("cpts_policy: refused a room creation by %s: %s", creator, refusal.reason)
            raise _refuse(refusal)
        amended = amended_creation(request)
        request.clear()
        request.update(amended)

    @_guarded(lambda _room_id, _state, visibility: visibility != "public")
    async def check_visibility_can_be_modified(self, room_id: str, state: StateMap[EventBase], new_visibility: str) -> bool:
        refusal = visibility_refusal(new_visibility)
        if refusal is not None:
            logger.info("cpts_policy: refused publishing %s in the room directory", room_id)
        return refusal is None

    async def check_threepid_can_be_invited(self, medium: str, address: str, state: StateMap[EventBase]) -> bool:
        # Invitations go to members' accounts, never to an e-mail address or a phone number.
        return False

    @_guarded(lambda _event: (Codes.FORBIDDEN, {}))
    async def federated_user_may_invite(self, event: EventBase) -> Any:
        refusal = await self._invite_refusal(event.sender, event.state_key)
        if refusal is None:
            return NOT_SPAM
        logger.info("cpts_policy: refused an invitation from %s to %s: %s", event.sender, event.state_key, refusal.reason)
        return Codes.FORBIDDEN, {"error": refusal.message}

    # --- decisions -----------------------------------------------------------------------

    async def _event_refusal(self, event: EventBase, state: StateMap[EventBase]) -> Refusal | None:
        if event.type == REDACTION:
            current = state.get((ENCRYPTION, ""))
            return redaction_refusal(event.redacts, current.event_id if current else None)
        if not event.is_state():
            return None
        if event.type == MEMBER:
            return await self._membership_refusal(event, state)
        current = state.get((event.type, event.state_key)) if event.type == ENCRYPTION else None
        return state_event_refusal(event.type, event.content, current.content if current else None)

    async def _creation_invites_refusal(self, creator: str, request: Mapping[str, Any]) -> Refusal | None:
        """The invitees of /createRoom, checked before the room exists (nothing left half-made)."""
        invited = invitees(request) or []
        is_direct = request.get("is_direct") is True
        for target in invited:
            bot_dm = is_bot_direct_message(self._policy, creator, is_direct, dict.fromkeys(invited, "invite"), target)
            refusal = await self._invite_refusal(creator, target, bot_dm)
            if refusal is not None:
                return refusal
        return None

    async def _membership_refusal(self, event: EventBase, state: StateMap[EventBase]) -> Refusal | None:
        target, membership = event.state_key, event.content.get("membership")
        create = state.get((CREATE, ""))
        is_direct = create is not None and create.content.get(DIRECT_MARKER) is True
        members = present_members((key, ev.content) for (kind, key), ev in state.items() if kind == MEMBER) if is_direct else {}
        if is_direct:
            refusal = direct_room_refusal(self._policy, members, target, str(membership))
            if refusal is not None:
                return refusal
        if membership == "invite":
            bot_dm = is_bot_direct_message(self._policy, event.sender, is_direct, members, target)
            return await self._invite_refusal(event.sender, target, bot_dm)
        return None

    async def _invite_refusal(self, sender: str, target: str, bot_direct_message: bool = False) -> Refusal | None:
        verification: Verification | None = None
        sender_verification: Verification | None = None
        if self._policy.needs_directory(target) and not bot_direct_message:
            # A bot's invitation follows a verification at once: ask, do not trust the cache.
            verification = await self._directory.verification(target, fresh=not self._policy.is_human(sender))
            if self._policy.needs_sender_verification(sender, target):
                sender_verification = await self._directory.verification(sender)
        return self._policy.refusal(sender, target, verification, bot_direct_message, sender_verification)

    async def _fetch_verified(self, user_id: str) -> bool:
        """GET <directory>/policy/members/<user> with the bearer token, within timeout_seconds."""
        directory = self._config.directory
        url = f"{directory.url}/policy/members/{quote(user_id, safe='')}"
        headers = {b"Authorization": [f"Bearer {directory.token}".encode()]}

        async def ask() -> tuple[Any, Exception | None]:
            try:
                return await self._api.http_client.get_json(url, headers=headers), None
            except Exception as exc:  # handed to the caller (a background process would only log it)
                return None, exc

        # A background process of its own: an answer arriving after the timeout must not run
        # in the logcontext of a request that has already ended.
        pending = self._api.run_as_background_process("cpts_policy_directory_lookup", ask)
        body, error = await make_deferred_yieldable(_within(pending, directory.timeout_seconds))
        if error is not None:
            raise error
        if not isinstance(body, dict) or not isinstance(body.get("verified"), bool):
            raise ValueError("the directory's answer has no boolean `verified`")
        return body["verified"]


def _within(pending: Deferred[T], seconds: float) -> Deferred[T]:
    """`pending`'s outcome, or a TimeoutError after `seconds`.

    `pending` is not cancelled but left to end by itself (Synapse's HTTP client gives up
    after 60 s): Synapse 1.163's client mishandles a cancellation from outside.
    """
    from twisted.internet import reactor

    outcome: Deferred[T] = Deferred()
    timer = reactor.callLater(  # type: ignore[attr-defined]
        seconds, lambda: outcome.errback(TimeoutError(f"no answer within {seconds:g} s"))
    )

    def settle(result: Any) -> None:
        if timer.active():
            timer.cancel()
            if isinstance(result, Failure):
                outcome.errback(result)
            else:
                outcome.callback(result)
        # Returning None also consumes a late failure, which then goes unlogged by Twisted.

    pending.addBoth(settle)
    return outcome
