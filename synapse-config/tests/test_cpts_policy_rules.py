"""cpts_policy: the pure policy rules (no Synapse involved)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cpts_policy.rules import (  # noqa: E402
    DIRECT_MARKER,
    DIRECT_TWO_PEOPLE,
    DIRECTORY_UNAVAILABLE,
    ENCRYPTION_LOCKED,
    GUEST_ACCESS_REFUSED,
    MALFORMED_REQUEST,
    MEGOLM,
    PUBLIC_ROOM,
    PUBLISHED_ROOM,
    THREEPID_INVITE,
    WORLD_READABLE,
    InvitePolicy,
    amended_creation,
    creation_refusal,
    direct_room_refusal,
    fail_safe_allows,
    is_bot_direct_message,
    redaction_refusal,
    state_event_refusal,
    visibility_refusal,
)

POLICY = InvitePolicy("cpts.fr", frozenset({"@annuaire:cpts.fr", "@accueil:cpts.fr"}), frozenset({"cpts-voisine.fr"}))
ALICE, BOB, CAROL = "@alice:cpts.fr", "@bob:cpts.fr", "@carol:cpts.fr"
BOT = "@annuaire:cpts.fr"
MEGOLM_CONTENT = {"algorithm": MEGOLM}


# --- state events ---------------------------------------------------------------------------


def test_encryption_is_set_once_with_megolm_and_never_changed_or_removed() -> None:
    assert state_event_refusal("m.room.encryption", MEGOLM_CONTENT, None) is None
    assert state_event_refusal("m.room.encryption", {"algorithm": "none"}, None) is ENCRYPTION_LOCKED
    assert state_event_refusal("m.room.encryption", {}, None) is ENCRYPTION_LOCKED
    # Same content again changes nothing; anything else is a change.
    assert state_event_refusal("m.room.encryption", MEGOLM_CONTENT, MEGOLM_CONTENT) is None
    assert state_event_refusal("m.room.encryption", {}, MEGOLM_CONTENT) is ENCRYPTION_LOCKED
    assert state_event_refusal("m.room.encryption", {**MEGOLM_CONTENT, "rotation_period_ms": 1}, MEGOLM_CONTENT) is ENCRYPTION_LOCKED


@pytest.mark.parametrize(
    ("event_type", "content", "refusal"),
    [
        ("m.room.join_rules", {"join_rule": "public"}, PUBLIC_ROOM),
        ("m.room.history_visibility", {"history_visibility": "world_readable"}, WORLD_READABLE),
        ("m.room.guest_access", {"guest_access": "can_join"}, GUEST_ACCESS_REFUSED),
    ],
)
def test_a_room_cannot_be_made_public_world_readable_or_open_to_guests(event_type: str, content: dict, refusal: object) -> None:
    assert state_event_refusal(event_type, content, None) is refusal


@pytest.mark.parametrize(
    ("event_type", "content"),
    [
        ("m.room.join_rules", {"join_rule": "invite"}),
        ("m.room.join_rules", {"join_rule": "restricted", "allow": []}),
        ("m.room.join_rules", {"join_rule": "knock"}),
        ("m.room.history_visibility", {"history_visibility": "shared"}),
        ("m.room.history_visibility", {"history_visibility": "invited"}),
        ("m.room.guest_access", {"guest_access": "forbidden"}),
        ("m.room.name", {"name": "Général"}),
        ("m.room.power_levels", {"users": {}}),
    ],
)
def test_private_settings_and_other_state_are_allowed(event_type: str, content: dict) -> None:
    assert state_event_refusal(event_type, content, MEGOLM_CONTENT) is None


def test_redacting_the_encryption_event_is_removing_it() -> None:
    assert redaction_refusal("$encryption", "$encryption") is ENCRYPTION_LOCKED
    assert redaction_refusal("$message", "$encryption") is None
    assert redaction_refusal("$message", None) is None
    assert redaction_refusal(None, "$encryption") is None


def test_publishing_in_the_room_directory() -> None:
    assert visibility_refusal("public") is PUBLISHED_ROOM
    assert visibility_refusal("private") is None


def test_a_failing_check_refuses_guarded_events_and_lets_messages_through() -> None:
    for guarded in ("m.room.encryption", "m.room.join_rules", "m.room.history_visibility", "m.room.guest_access", "m.room.member", "m.room.redaction"):
        assert not fail_safe_allows(guarded)
    for ordinary in ("m.room.encrypted", "m.room.message", "m.reaction", "m.room.name"):
        assert fail_safe_allows(ordinary)


# --- invitations ------------------------------------------------------------------------------


def test_a_local_person_is_invited_only_when_the_directory_says_verified() -> None:
    assert POLICY.needs_directory(BOB)
    assert POLICY.refusal(ALICE, BOB, "verified", sender_verification="verified") is None
    refusal = POLICY.refusal(ALICE, BOB, "not-verified", sender_verification="verified")
    assert refusal is not None and refusal.reason == "not-verified" and BOB in refusal.message
    # The directory did not answer (or was not asked): fail closed.
    assert POLICY.refusal(ALICE, BOB, "unknown", sender_verification="verified") is DIRECTORY_UNAVAILABLE
    assert POLICY.refusal(ALICE, BOB, None, sender_verification="verified") is DIRECTORY_UNAVAILABLE


def test_only_a_verified_member_invites_a_local_person() -> None:
    # Anyone in France can sign in with Pro Santé Connect; member ids can be guessed.
    assert POLICY.needs_sender_verification(ALICE, BOB)
    refusal = POLICY.refusal(ALICE, BOB, "verified", sender_verification="not-verified")
    assert refusal is not None and refusal.reason == "inviter-not-verified" and ALICE in refusal.message
    assert POLICY.refusal(ALICE, BOB, "verified", sender_verification="unknown") is DIRECTORY_UNAVAILABLE
    assert POLICY.refusal(ALICE, BOB, "verified") is DIRECTORY_UNAVAILABLE
    # Not asked of bots, nor for invitations to bots.
    assert not POLICY.needs_sender_verification(BOT, BOB)
    assert not POLICY.needs_sender_verification(ALICE, BOT)


def test_the_cpts_bots_can_be_invited_by_any_local_account_without_the_directory() -> None:
    assert not POLICY.needs_directory(BOT)
    assert POLICY.refusal("@not-yet-verified:cpts.fr", BOT, None) is None
    assert POLICY.refusal("@someone:cpts-voisine.fr", BOT, None) is None


def test_a_localpart_prefix_names_bots_of_this_server_only() -> None:
    policy = InvitePolicy("cpts.fr", frozenset(), frozenset(), ("bot-",))
    assert not policy.is_human("@bot-1a2b:cpts.fr")
    assert policy.is_human("@robot-1a2b:cpts.fr")
    assert policy.is_human("@bot-1a2b:cpts-voisine.fr")
    assert policy.refusal("@not-yet-verified:cpts.fr", "@bot-1a2b:cpts.fr", None) is None


def test_bots_follow_the_same_rule_for_people() -> None:
    assert POLICY.refusal(BOT, BOB, "verified") is None
    assert POLICY.refusal(BOT, BOB, "not-verified") is not None
    assert POLICY.refusal(BOT, "@accueil:cpts.fr", None) is None


def test_a_bot_may_write_to_anyone_in_a_direct_message_of_its_own() -> None:
    # The annuaire tells a removed member or a refused applicant: nobody else is there.
    assert is_bot_direct_message(POLICY, BOT, True, {BOT: "join"}, CAROL)
    assert POLICY.refusal(BOT, CAROL, None, bot_direct_message=True) is None
    assert is_bot_direct_message(POLICY, BOT, True, {BOT: "join", "@accueil:cpts.fr": "join", CAROL: "leave"}, CAROL)
    # Not when someone else is (or is invited) there, not in a group room, not for people.
    assert not is_bot_direct_message(POLICY, BOT, True, {BOT: "join", ALICE: "invite"}, CAROL)
    assert not is_bot_direct_message(POLICY, BOT, False, {BOT: "join"}, CAROL)
    assert not is_bot_direct_message(POLICY, ALICE, True, {ALICE: "join"}, CAROL)
    # Partner servers still apply.
    assert POLICY.refusal(BOT, "@eve:matrix.org", None, bot_direct_message=True) is not None


def test_users_of_other_servers_only_from_or_to_partner_servers() -> None:
    assert not POLICY.needs_directory("@dr.x:cpts-voisine.fr")
    assert POLICY.refusal(ALICE, "@dr.x:cpts-voisine.fr", None) is None
    refused = POLICY.refusal(ALICE, "@eve:matrix.org", None)
    assert refused is not None and refused.reason == "server-not-allowed" and "matrix.org" in refused.message
    # Invitations arriving from another server: the sender's server must be a partner,
    # and a local person must still be verified.
    assert POLICY.refusal("@dr.x:cpts-voisine.fr", BOB, "verified") is None
    assert POLICY.refusal("@dr.x:cpts-voisine.fr", BOB, "not-verified") is not None
    assert POLICY.refusal("@eve:matrix.org", BOB, "verified") is not None


# --- direct messages ---------------------------------------------------------------------------


def test_a_direct_message_keeps_two_people_bots_aside() -> None:
    two = {ALICE: "join", BOB: "join"}
    assert direct_room_refusal(POLICY, two, CAROL, "invite") is DIRECT_TWO_PEOPLE
    assert direct_room_refusal(POLICY, {ALICE: "join", BOB: "invite"}, CAROL, "join") is DIRECT_TWO_PEOPLE
    assert direct_room_refusal(POLICY, {ALICE: "join", BOB: "invite"}, BOB, "join") is None
    assert direct_room_refusal(POLICY, two, BOT, "invite") is None
    assert direct_room_refusal(POLICY, {**two, BOT: "join"}, ALICE, "join") is None
    # Someone who left or was refused no longer counts; leaving is always possible.
    assert direct_room_refusal(POLICY, {ALICE: "join", BOB: "leave"}, CAROL, "invite") is None
    assert direct_room_refusal(POLICY, {ALICE: "join", BOB: "join", CAROL: "invite"}, CAROL, "leave") is None


# --- room creation -----------------------------------------------------------------------------


def test_creation_requests_that_would_make_a_room_public_are_refused() -> None:
    assert creation_refusal(POLICY, ALICE, {"visibility": "public"}) is PUBLISHED_ROOM
    assert creation_refusal(POLICY, ALICE, {"preset": "public_chat"}) is PUBLIC_ROOM
    for state, refusal in [
        ({"type": "m.room.join_rules", "content": {"join_rule": "public"}}, PUBLIC_ROOM),
        ({"type": "m.room.history_visibility", "content": {"history_visibility": "world_readable"}}, WORLD_READABLE),
        ({"type": "m.room.guest_access", "content": {"guest_access": "can_join"}}, GUEST_ACCESS_REFUSED),
        ({"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "none"}}, ENCRYPTION_LOCKED),
    ]:
        assert creation_refusal(POLICY, ALICE, {"preset": "private_chat", "initial_state": [state]}) is refusal
    assert creation_refusal(POLICY, ALICE, {"invite_3pid": [{"medium": "email", "address": "x@y.fr"}]}) is THREEPID_INVITE
    assert creation_refusal(POLICY, ALICE, {"initial_state": "not a list"}) is MALFORMED_REQUEST
    assert creation_refusal(POLICY, ALICE, {"initial_state": [{"type": "m.room.name"}]}) is MALFORMED_REQUEST
    assert creation_refusal(POLICY, ALICE, {"invite": BOB}) is MALFORMED_REQUEST


def test_private_creation_requests_pass() -> None:
    assert creation_refusal(POLICY, ALICE, {}) is None
    assert creation_refusal(POLICY, ALICE, {"preset": "private_chat", "visibility": "private", "invite": [BOB, CAROL]}) is None
    assert creation_refusal(POLICY, ALICE, {"preset": "trusted_private_chat", "is_direct": True, "invite": [BOB]}) is None
    assert creation_refusal(POLICY, ALICE, {"is_direct": True, "invite": [BOT]}) is None


def test_a_direct_message_is_created_for_two_people() -> None:
    assert creation_refusal(POLICY, ALICE, {"is_direct": True, "invite": [BOB, CAROL]}) is DIRECT_TWO_PEOPLE
    assert creation_refusal(POLICY, ALICE, {"is_direct": True, "invite": [BOB, BOT]}) is None
    assert creation_refusal(POLICY, BOT, {"is_direct": True, "invite": [BOB]}) is None


def test_every_room_is_created_encrypted_and_closed_to_guests() -> None:
    amended = amended_creation({"name": "Équipe", "initial_state": [{"type": "m.room.name", "content": {"name": "x"}}]})
    assert amended["initial_state"] == [
        {"type": "m.room.name", "content": {"name": "x"}},
        {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}},
        # Synapse's private_chat and trusted_private_chat presets would write can_join.
        {"type": "m.room.guest_access", "state_key": "", "content": {"guest_access": "forbidden"}},
    ]
    assert amended["name"] == "Équipe"
    assert "creation_content" not in amended
    asked = [
        {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM, "rotation_period_ms": 604800000}},
        {"type": "m.room.guest_access", "content": {"guest_access": "forbidden"}},
    ]
    assert amended_creation({"initial_state": asked})["initial_state"] == asked


def test_a_direct_message_is_marked_in_its_immutable_create_event() -> None:
    amended = amended_creation({"is_direct": True, "invite": [BOB], "creation_content": {"m.federate": False}})
    assert amended["creation_content"] == {"m.federate": False, DIRECT_MARKER: True}
    assert amended_creation({"is_direct": True})["creation_content"] == {DIRECT_MARKER: True}
    assert "creation_content" not in amended_creation({"is_direct": False})
