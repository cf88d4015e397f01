"""cpts_policy: the Synapse adapter, with a fake ModuleApi and fake events.

The directory fetch is replaced by a fake; the real HTTP call is proven against a real
Synapse by test/synapse-policy.e2e.test.ts.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Coroutine, TypeVar

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cpts_policy import CptsPolicy  # noqa: E402
from cpts_policy.config import DirectoryConfig, PolicyConfig  # noqa: E402
from cpts_policy.directory import MemberDirectory  # noqa: E402
from cpts_policy.rules import DIRECT_MARKER, MEGOLM  # noqa: E402
from synapse.module_api import NOT_SPAM  # noqa: E402
from synapse.module_api.errors import Codes, ConfigError, SynapseError  # noqa: E402

T = TypeVar("T")
SERVER = "cpts.fr"
ALICE, BOB, CAROL, MALLORY = (f"@{name}:{SERVER}" for name in ("alice", "bob", "carol", "mallory"))
BOT = f"@annuaire:{SERVER}"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine that never waits (the fakes answer at once)."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise AssertionError("the coroutine waited on something")


@dataclass
class FakeEvent:
    type: str
    sender: str
    content: dict[str, Any]
    state_key: str | None = None
    room_id: str = "!room:cpts.fr"
    event_id: str = "$event"
    redacts: str | None = None

    def is_state(self) -> bool:
        return self.state_key is not None


@dataclass
class FakeUser:
    user_id: str

    def to_string(self) -> str:
        return self.user_id


@dataclass
class FakeRequester:
    user: FakeUser


@dataclass
class FakeApi:
    server_name: str = SERVER
    now_ms: int = 1_000_000
    third_party: dict[str, Callable[..., Any]] = field(default_factory=dict)
    spam: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def get_qualified_user_id(self, username: str) -> str:
        return username if username.startswith("@") else f"@{username}:{self.server_name}"

    def is_mine(self, user_id: str) -> bool:
        return user_id.endswith(f":{self.server_name}")

    def get_current_time_msec(self) -> int:
        return self.now_ms

    def register_third_party_rules_callbacks(self, **callbacks: Callable[..., Any]) -> None:
        self.third_party.update(callbacks)

    def register_spam_checker_callbacks(self, **callbacks: Callable[..., Any]) -> None:
        self.spam.update(callbacks)


class FakeDirectory:
    """The annuaire's answers; `down` makes every question fail like a refused connection."""

    def __init__(self, verified: set[str]) -> None:
        self.verified = verified
        self.asked: list[str] = []
        self.down = False

    async def __call__(self, user_id: str) -> bool:
        self.asked.append(user_id)
        if self.down:
            raise ConnectionRefusedError("directory down")
        return user_id in self.verified


def make_policy(
    verified: set[str] | None = None, bots: tuple[str, ...] = ("annuaire", "@accueil:cpts.fr"), cache_seconds: float = 30
) -> tuple[CptsPolicy, FakeApi, FakeDirectory]:
    api = FakeApi()
    directory = FakeDirectory(verified if verified is not None else {ALICE, BOB, CAROL})
    config = PolicyConfig(
        directory=DirectoryConfig(url="http://bots:8081", token="t", cache_seconds=cache_seconds),
        bots=bots,
        federation_allowlist=frozenset({"cpts-voisine.fr"}),
    )
    return CptsPolicy(config, api, fetch_verified=directory), api, directory  # type: ignore[arg-type]


def state_of(*events: FakeEvent) -> dict[tuple[str, str], FakeEvent]:
    return {(e.type, e.state_key or ""): e for e in events}


ENCRYPTION_EVENT = FakeEvent("m.room.encryption", ALICE, {"algorithm": MEGOLM}, "", event_id="$enc")


def member(user: str, membership: str) -> FakeEvent:
    return FakeEvent("m.room.member", user, {"membership": membership}, user)


def room_state(*members: FakeEvent, direct: bool = False) -> dict[tuple[str, str], FakeEvent]:
    create = FakeEvent("m.room.create", ALICE, {"room_version": "10", **({DIRECT_MARKER: True} if direct else {})}, "")
    return state_of(create, ENCRYPTION_EVENT, *members)


def allowed(policy: CptsPolicy, event: FakeEvent, state: dict[tuple[str, str], FakeEvent]) -> bool:
    """True when allowed, False when refused by a SynapseError (its message is checked elsewhere)."""
    try:
        result = run(policy.check_event_allowed(event, state))
    except SynapseError as err:
        assert err.code == 403 and err.errcode == Codes.FORBIDDEN
        return False
    assert result == (True, None) or result == (False, None)
    return result[0]


def refusal_message(policy: CptsPolicy, event: FakeEvent, state: dict[tuple[str, str], FakeEvent]) -> str:
    with pytest.raises(SynapseError) as err:
        run(policy.check_event_allowed(event, state))
    return err.value.msg


# --- registration --------------------------------------------------------------------------


def test_registers_callbacks_that_run_for_admins_too() -> None:
    _, api, _ = make_policy()
    assert set(api.third_party) == {"check_event_allowed", "on_create_room", "check_visibility_can_be_modified", "check_threepid_can_be_invited"}
    # Not user_may_invite / user_may_create_room: Synapse skips those for server admins.
    assert set(api.spam) == {"federated_user_may_invite"}


def test_a_bot_of_another_server_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        make_policy(bots=("annuaire", "@bot:matrix.org"))
    assert err.value.path == ("bots", "1")
    assert "@bot:matrix.org" in err.value.msg


# --- events ----------------------------------------------------------------------------------


def test_encryption_cannot_be_changed_removed_or_redacted() -> None:
    policy, _, _ = make_policy()
    state = room_state(member(ALICE, "join"))
    assert not allowed(policy, FakeEvent("m.room.encryption", ALICE, {}, ""), state)
    assert not allowed(policy, FakeEvent("m.room.encryption", ALICE, {"algorithm": MEGOLM, "rotation_period_ms": 1}, ""), state)
    assert allowed(policy, FakeEvent("m.room.encryption", ALICE, {"algorithm": MEGOLM}, ""), state)
    assert not allowed(policy, FakeEvent("m.room.redaction", ALICE, {}, redacts="$enc"), state)
    assert allowed(policy, FakeEvent("m.room.redaction", ALICE, {}, redacts="$message"), state)
    message = refusal_message(policy, FakeEvent("m.room.encryption", ALICE, {}, ""), state)
    assert "chiffré de bout en bout" in message and "end-to-end encrypted" in message


def test_a_new_room_gets_megolm_and_nothing_else() -> None:
    policy, _, _ = make_policy()
    create_only = state_of(FakeEvent("m.room.create", ALICE, {}, ""))
    assert allowed(policy, FakeEvent("m.room.encryption", ALICE, {"algorithm": MEGOLM}, ""), create_only)
    assert not allowed(policy, FakeEvent("m.room.encryption", ALICE, {"algorithm": "none"}, ""), create_only)


def test_no_public_world_readable_or_guest_room() -> None:
    policy, _, _ = make_policy()
    state = room_state(member(ALICE, "join"))
    assert not allowed(policy, FakeEvent("m.room.join_rules", ALICE, {"join_rule": "public"}, ""), state)
    assert not allowed(policy, FakeEvent("m.room.history_visibility", ALICE, {"history_visibility": "world_readable"}, ""), state)
    assert not allowed(policy, FakeEvent("m.room.guest_access", ALICE, {"guest_access": "can_join"}, ""), state)
    assert allowed(policy, FakeEvent("m.room.join_rules", ALICE, {"join_rule": "invite"}, ""), state)


def test_messages_pass_without_asking_anything() -> None:
    policy, _, directory = make_policy()
    assert allowed(policy, FakeEvent("m.room.encrypted", MALLORY, {"ciphertext": "x"}), room_state())
    assert directory.asked == []


def test_invitations_go_to_verified_members_bots_and_partner_servers() -> None:
    policy, _, directory = make_policy()
    state = room_state(member(ALICE, "join"))
    assert allowed(policy, member_invite(ALICE, BOB), state)
    assert not allowed(policy, member_invite(ALICE, MALLORY), state)
    assert MALLORY in refusal_message(policy, member_invite(ALICE, MALLORY), state)
    assert allowed(policy, member_invite(MALLORY, BOT), state)
    assert allowed(policy, member_invite(ALICE, "@dr.x:cpts-voisine.fr"), state)
    assert not allowed(policy, member_invite(ALICE, "@eve:matrix.org"), state)
    # The inviter is asked about too; bots and remote users are not asked; answers are cached.
    assert directory.asked == [BOB, ALICE, MALLORY]


def test_an_unverified_account_cannot_invite_members() -> None:
    # Anyone in France can sign in with Pro Santé Connect; member ids (@ps8<RPPS>) can be guessed.
    policy, _, _ = make_policy()
    state = room_state(member(MALLORY, "join"))
    assert not allowed(policy, member_invite(MALLORY, BOB), state)
    assert "n'est pas encore un membre vérifié" in refusal_message(policy, member_invite(MALLORY, BOB), state)
    assert allowed(policy, member_invite(MALLORY, BOT), state)


def member_invite(sender: str, target: str) -> FakeEvent:
    return FakeEvent("m.room.member", sender, {"membership": "invite"}, target)


def test_answers_are_cached_for_the_configured_time_so_changes_arrive_without_restart() -> None:
    policy, api, directory = make_policy(cache_seconds=30)
    state = room_state(member(ALICE, "join"))
    assert not allowed(policy, member_invite(ALICE, MALLORY), state)
    directory.verified.add(MALLORY)  # the coordinator approves her
    api.now_ms += 29_000
    assert not allowed(policy, member_invite(ALICE, MALLORY), state)
    api.now_ms += 2_000
    assert allowed(policy, member_invite(ALICE, MALLORY), state)
    assert allowed(policy, member_invite(ALICE, BOB), state)
    directory.verified.discard(BOB)  # removed from the CPTS
    assert allowed(policy, member_invite(ALICE, BOB), state)  # still the cached answer
    api.now_ms += 31_000
    assert not allowed(policy, member_invite(ALICE, BOB), state)


def test_the_bots_invitations_ask_the_directory_afresh() -> None:
    policy, _, directory = make_policy()
    state = room_state(member(BOT, "join"))
    assert not allowed(policy, member_invite(ALICE, MALLORY), state)
    directory.verified.add(MALLORY)  # the annuaire verifies her, then invites her at once
    assert allowed(policy, member_invite(BOT, MALLORY), state)
    assert directory.asked == [MALLORY, ALICE, MALLORY]


def test_a_bot_writes_to_an_unverified_person_only_in_a_direct_message_of_its_own() -> None:
    policy, _, directory = make_policy()
    created = create(policy, BOT, {"preset": "trusted_private_chat", "is_direct": True, "invite": [MALLORY]})
    assert created["creation_content"] == {DIRECT_MARKER: True}
    bot_dm = room_state(member(BOT, "join"), direct=True)
    assert allowed(policy, member_invite(BOT, MALLORY), bot_dm)
    assert directory.asked == []
    with_someone = room_state(member(BOT, "join"), member(ALICE, "join"), direct=True)
    assert not allowed(policy, member_invite(BOT, MALLORY), with_someone)
    assert not allowed(policy, member_invite(BOT, MALLORY), room_state(member(BOT, "join")))
    assert MALLORY in creation_error(policy, BOT, {"is_direct": True, "invite": [MALLORY, ALICE]})
    assert MALLORY in creation_error(policy, BOT, {"invite": [MALLORY]})


def test_directory_down_refuses_people_but_not_bots(caplog: pytest.LogCaptureFixture) -> None:
    policy, _, directory = make_policy()
    directory.down = True
    state = room_state(member(ALICE, "join"))
    assert not allowed(policy, member_invite(ALICE, BOB), state)
    assert "annuaire de la CPTS ne répond pas" in refusal_message(policy, member_invite(ALICE, BOB), state)
    assert "did not answer for @bob:cpts.fr" in caplog.text
    assert allowed(policy, member_invite(ALICE, BOT), state)
    directory.down = False  # a failure is not cached
    assert allowed(policy, member_invite(ALICE, BOB), state)


def test_a_direct_message_keeps_two_people() -> None:
    policy, _, _ = make_policy()
    dm = room_state(member(ALICE, "join"), member(BOB, "join"), direct=True)
    assert not allowed(policy, member_invite(ALICE, CAROL), dm)
    assert "deux personnes" in refusal_message(policy, member_invite(ALICE, CAROL), dm)
    assert allowed(policy, member_invite(ALICE, BOT), dm)
    group = room_state(member(ALICE, "join"), member(BOB, "join"))
    assert allowed(policy, member_invite(ALICE, CAROL), group)


def test_an_unexpected_error_refuses_guarded_events_only(caplog: pytest.LogCaptureFixture) -> None:
    policy, _, _ = make_policy()
    broken_state: Any = {("m.room.create", ""): None, ("m.room.encryption", ""): object()}
    assert run(policy.check_event_allowed(FakeEvent("m.room.encryption", ALICE, {}, ""), broken_state)) == (False, None)
    assert run(policy.check_event_allowed(member_invite(ALICE, BOB), {("m.room.create", ""): object()})) == (False, None)
    assert "check_event_allowed failed" in caplog.text
    broken_event: Any = FakeEvent("m.room.message", ALICE, None)  # type: ignore[arg-type]
    broken_event.is_state = None  # calling it raises TypeError
    assert run(policy.check_event_allowed(broken_event, {})) == (True, None)


# --- room creation -----------------------------------------------------------------------------


def create(policy: CptsPolicy, creator: str, request: dict[str, Any]) -> dict[str, Any]:
    run(policy.on_create_room(FakeRequester(FakeUser(creator)), request, False))
    return request


def creation_error(policy: CptsPolicy, creator: str, request: dict[str, Any], admin: bool = False) -> str:
    with pytest.raises(SynapseError) as err:
        run(policy.on_create_room(FakeRequester(FakeUser(creator)), request, admin))
    assert err.value.code == 403
    return err.value.msg


def test_created_rooms_are_encrypted_and_dms_marked_in_place() -> None:
    policy, _, _ = make_policy()
    request = create(policy, ALICE, {"preset": "trusted_private_chat", "is_direct": True, "invite": [BOB]})
    assert {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}} in request["initial_state"]
    assert request["creation_content"] == {DIRECT_MARKER: True}


def test_creation_is_refused_before_anything_exists_even_for_admins() -> None:
    policy, _, _ = make_policy()
    assert "publiés" in creation_error(policy, ALICE, {"visibility": "public"}, admin=True)
    assert "publics" in creation_error(policy, ALICE, {"preset": "public_chat"}, admin=True)
    assert MALLORY in creation_error(policy, ALICE, {"invite": [BOB, MALLORY]}, admin=True)
    assert "deux personnes" in creation_error(policy, ALICE, {"is_direct": True, "invite": [BOB, CAROL]})
    assert create(policy, MALLORY, {"is_direct": True, "invite": [BOT]})["creation_content"] == {DIRECT_MARKER: True}


def test_creation_fails_closed_on_an_unexpected_error(caplog: pytest.LogCaptureFixture) -> None:
    policy, _, _ = make_policy()
    with pytest.raises(SynapseError) as err:
        run(policy.on_create_room(FakeRequester(None), {}, False))  # type: ignore[arg-type]
    assert "n'a pas pu vérifier" in err.value.msg
    assert "on_create_room failed" in caplog.text


# --- directory publication, 3PID, federation ---------------------------------------------------


def test_rooms_cannot_be_published_and_3pid_invites_are_refused() -> None:
    policy, _, _ = make_policy()
    assert run(policy.check_visibility_can_be_modified("!r:cpts.fr", {}, "public")) is False
    assert run(policy.check_visibility_can_be_modified("!r:cpts.fr", {}, "private")) is True
    assert run(policy.check_threepid_can_be_invited("email", "x@y.fr", {})) is False


def test_invitations_from_other_servers() -> None:
    policy, _, _ = make_policy()
    assert run(policy.federated_user_may_invite(member_invite("@dr.x:cpts-voisine.fr", BOB))) is NOT_SPAM
    code, fields = run(policy.federated_user_may_invite(member_invite("@dr.x:cpts-voisine.fr", MALLORY)))
    assert code == Codes.FORBIDDEN and MALLORY in fields["error"]
    code, _ = run(policy.federated_user_may_invite(member_invite("@eve:matrix.org", BOB)))
    assert code == Codes.FORBIDDEN
    broken: Any = FakeEvent("m.room.member", None, {}, BOB)  # type: ignore[arg-type]
    assert run(policy.federated_user_may_invite(broken)) == (Codes.FORBIDDEN, {})


# --- the directory cache ------------------------------------------------------------------------


def test_a_cache_of_zero_seconds_asks_every_time() -> None:
    now = [0]
    directory = FakeDirectory({BOB})
    members = MemberDirectory(directory, lambda: now[0], 0)
    assert run(members.verification(BOB)) == "verified"
    assert run(members.verification(BOB)) == "verified"
    assert directory.asked == [BOB, BOB]
