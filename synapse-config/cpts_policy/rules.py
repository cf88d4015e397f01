"""The CPTS room policy as pure decisions: no Synapse import, no I/O.

Each check returns None when the action is allowed, or a Refusal that the Synapse adapter
(module.py) turns into an error for the person who tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

MEGOLM = "m.megolm.v1.aes-sha2"
ENCRYPTION = "m.room.encryption"
JOIN_RULES = "m.room.join_rules"
HISTORY_VISIBILITY = "m.room.history_visibility"
GUEST_ACCESS = "m.room.guest_access"
MEMBER = "m.room.member"
REDACTION = "m.room.redaction"
CREATE = "m.room.create"
# Written into the immutable m.room.create event of a room created as a direct message,
# so that "two people" still holds once the `is_direct` flag of the invite is gone.
DIRECT_MARKER = "fr.cpts.is_direct"

# The event types a failing check must refuse rather than let through (see module.py).
GUARDED_TYPES = frozenset({ENCRYPTION, JOIN_RULES, HISTORY_VISIBILITY, GUEST_ACCESS, MEMBER, REDACTION})

Verification = Literal["verified", "not-verified", "unknown"]


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: `reason` for the logs, `message` for the person (French, then English)."""

    reason: str
    message: str


ENCRYPTION_LOCKED = Refusal(
    "encryption-locked",
    "Sur ce serveur de la CPTS, chaque salon est chiffré de bout en bout : le chiffrement ne peut être"
    " ni désactivé ni modifié. / On this CPTS server every room is end-to-end encrypted: encryption"
    " cannot be turned off or changed.",
)
PUBLIC_ROOM = Refusal(
    "public-room",
    "Les salons de la CPTS ne peuvent pas être publics : on y entre sur invitation. /"
    " CPTS rooms cannot be public: people join them by invitation.",
)
PUBLISHED_ROOM = Refusal(
    "published-room",
    "Les salons de la CPTS ne peuvent pas être publiés dans le répertoire des salons. /"
    " CPTS rooms cannot be published in the room directory.",
)
WORLD_READABLE = Refusal(
    "world-readable",
    "L'historique d'un salon de la CPTS ne peut pas être lisible par tout le monde. /"
    " The history of a CPTS room cannot be readable by anyone.",
)
GUEST_ACCESS_REFUSED = Refusal(
    "guest-access",
    "Les invités sans compte ne sont pas admis sur ce serveur. / Guest access is not allowed on this server.",
)
THREEPID_INVITE = Refusal(
    "threepid-invite",
    "Les invitations par adresse e-mail ou numéro de téléphone ne sont pas possibles : invitez le compte"
    " d'un membre. / Invitations by e-mail address or phone number are not possible: invite a member's account.",
)
DIRECT_TWO_PEOPLE = Refusal(
    "direct-two-people",
    "Une conversation privée réunit deux personnes : créez un salon pour échanger à plusieurs. /"
    " A direct message is between two people: create a room to talk with more.",
)
DIRECTORY_UNAVAILABLE = Refusal(
    "directory-unavailable",
    "L'annuaire de la CPTS ne répond pas : l'invitation ne peut pas être vérifiée, réessayez dans quelques"
    " minutes. / The CPTS directory is not answering: the invitation cannot be checked, try again in a few minutes.",
)
POLICY_FAILED = Refusal(
    "policy-failed",
    "La règle de sécurité de la CPTS n'a pas pu vérifier cette action : réessayez plus tard. /"
    " The CPTS security policy could not check this action: try again later.",
)
MALFORMED_REQUEST = Refusal(
    "malformed-request",
    "La demande de création de salon est mal formée (initial_state, invite). /"
    " The room creation request is malformed (initial_state, invite).",
)


def not_verified(user_id: str) -> Refusal:
    return Refusal(
        "not-verified",
        f"{user_id} n'est pas un membre vérifié de la CPTS : seuls les membres vérifiés peuvent être invités"
        f" (inscription auprès du bot annuaire). / {user_id} is not a verified member of the CPTS: only verified"
        " members can be invited (registration with the directory bot).",
    )


def inviter_not_verified(user_id: str) -> Refusal:
    return Refusal(
        "inviter-not-verified",
        f"{user_id} n'est pas encore un membre vérifié de la CPTS : seuls les membres vérifiés peuvent inviter"
        f" d'autres membres (inscription auprès du bot annuaire). / {user_id} is not a verified member of the"
        " CPTS yet: only verified members can invite other members (registration with the directory bot).",
    )


def server_not_allowed(server: str) -> Refusal:
    return Refusal(
        "server-not-allowed",
        f"Le serveur {server} ne fait pas partie des serveurs partenaires de la CPTS. /"
        f" The server {server} is not one of the CPTS's partner servers.",
    )


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1] if ":" in user_id else ""


# --- room state ---------------------------------------------------------------------------


def state_content_refusal(event_type: str, content: Mapping[str, Any]) -> Refusal | None:
    """What no room may ever hold, whoever sends it (rooms are private and encrypted)."""
    if event_type == ENCRYPTION and content.get("algorithm") != MEGOLM:
        return ENCRYPTION_LOCKED
    if event_type == JOIN_RULES and content.get("join_rule") == "public":
        return PUBLIC_ROOM
    if event_type == HISTORY_VISIBILITY and content.get("history_visibility") == "world_readable":
        return WORLD_READABLE
    if event_type == GUEST_ACCESS and content.get("guest_access") == "can_join":
        return GUEST_ACCESS_REFUSED
    return None


def state_event_refusal(
    event_type: str, content: Mapping[str, Any], current_encryption: Mapping[str, Any] | None
) -> Refusal | None:
    """A state event in an existing room: the content rules, and encryption set once for good."""
    if event_type == ENCRYPTION and current_encryption is not None and dict(content) != dict(current_encryption):
        return ENCRYPTION_LOCKED
    return state_content_refusal(event_type, content)


def redaction_refusal(redacted_event_id: str | None, encryption_event_id: str | None) -> Refusal | None:
    """Redacting m.room.encryption would strip its algorithm: the same as removing it."""
    if redacted_event_id is not None and redacted_event_id == encryption_event_id:
        return ENCRYPTION_LOCKED
    return None


def visibility_refusal(new_visibility: str) -> Refusal | None:
    return PUBLISHED_ROOM if new_visibility == "public" else None


# --- invitations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitePolicy:
    """Who may be invited: verified members, the CPTS's bots, users of partner servers."""

    server_name: str
    bots: frozenset[str]
    allowed_servers: frozenset[str]
    # Local accounts whose localpart starts with one of these are bots too.
    bot_prefixes: tuple[str, ...] = ()

    def is_human(self, user_id: str) -> bool:
        if user_id in self.bots:
            return False
        if self.bot_prefixes and server_of(user_id) == self.server_name:
            localpart = user_id[1:].split(":", 1)[0]
            return not localpart.startswith(self.bot_prefixes)
        return True

    def needs_directory(self, target: str) -> bool:
        """Only a local person's verification is asked of the directory."""
        return server_of(target) == self.server_name and self.is_human(target)

    def needs_sender_verification(self, sender: str, target: str) -> bool:
        """A local person who invites a local person must be a verified member too: anyone in
        France can sign in with Pro Santé Connect, and member ids (@ps8<RPPS>) can be guessed."""
        return self.needs_directory(target) and self.needs_directory(sender)

    def refusal(
        self,
        sender: str,
        target: str,
        verification: Verification | None,
        bot_direct_message: bool = False,
        sender_verification: Verification | None = None,
    ) -> Refusal | None:
        """`verification`: the directory's answer about `target`, None when it was not asked;
        `sender_verification`: the same about `sender` (see needs_sender_verification);
        `bot_direct_message`: see is_bot_direct_message (the directory need not be asked)."""
        sender_server = server_of(sender)
        if sender_server != self.server_name and sender_server not in self.allowed_servers:
            return server_not_allowed(sender_server)
        target_server = server_of(target)
        if target_server != self.server_name:
            return None if target_server in self.allowed_servers else server_not_allowed(target_server)
        if not self.is_human(target) or bot_direct_message:
            # Anyone here may invite a bot: people open a direct message with the annuaire
            # to register.
            return None
        if self.needs_sender_verification(sender, target) and sender_verification != "verified":
            return inviter_not_verified(sender) if sender_verification == "not-verified" else DIRECTORY_UNAVAILABLE
        if verification == "verified":
            return None
        return not_verified(target) if verification == "not-verified" else DIRECTORY_UNAVAILABLE


# --- direct messages ---------------------------------------------------------------------------

_PRESENT = frozenset({"join", "invite", "knock"})


def is_bot_direct_message(policy: InvitePolicy, sender: str, is_direct: bool, memberships: Mapping[str, str], target: str) -> bool:
    """A bot inviting one person into a direct message of its own (to tell a removed member
    or a refused applicant): nobody else can read there, so the person need not be verified."""
    return (
        is_direct
        and not policy.is_human(sender)
        and not any(policy.is_human(user) and membership in _PRESENT for user, membership in memberships.items() if user != target)
    )


def direct_room_refusal(
    policy: InvitePolicy, memberships: Mapping[str, str], target: str, new_membership: str
) -> Refusal | None:
    """In a direct-message room, at most two people (bots do not count) are in or invited."""
    if new_membership not in _PRESENT or not policy.is_human(target):
        return None
    humans = {user for user, membership in memberships.items() if membership in _PRESENT and policy.is_human(user)}
    humans.add(target)
    return DIRECT_TWO_PEOPLE if len(humans) > 2 else None


# --- room creation -----------------------------------------------------------------------------


def _initial_state(request: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    raw = request.get("initial_state", [])
    if not isinstance(raw, list) or not all(
        isinstance(item, Mapping) and isinstance(item.get("type"), str) and isinstance(item.get("content"), Mapping)
        for item in raw
    ):
        return None
    return raw


def invitees(request: Mapping[str, Any]) -> list[str] | None:
    raw = request.get("invite", [])
    if not isinstance(raw, list) or not all(isinstance(user, str) for user in raw):
        return None
    return raw


def creation_refusal(policy: InvitePolicy, creator: str, request: Mapping[str, Any]) -> Refusal | None:
    """A /createRoom request, before anything is created (invitees are checked separately)."""
    state = _initial_state(request)
    invited = invitees(request)
    if state is None or invited is None:
        return MALFORMED_REQUEST
    if request.get("visibility") == "public":
        return PUBLISHED_ROOM
    if request.get("preset") == "public_chat":
        return PUBLIC_ROOM
    if request.get("invite_3pid"):
        return THREEPID_INVITE
    for item in state:
        refusal = state_content_refusal(item["type"], item["content"])
        if refusal is not None:
            return refusal
    if request.get("is_direct") is True:
        humans = {user for user in [creator, *invited] if policy.is_human(user)}
        if len(humans) > 2:
            return DIRECT_TWO_PEOPLE
    return None


# Set at creation unless the request sets them: Synapse's private presets would otherwise
# write guest_access can_join, which the policy refuses (the room would be left half-made).
_CREATION_DEFAULTS = (
    (ENCRYPTION, {"algorithm": MEGOLM}),
    (GUEST_ACCESS, {"guest_access": "forbidden"}),
)


def amended_creation(request: Mapping[str, Any]) -> dict[str, Any]:
    """The request as Synapse must run it: encrypted and closed to guests from the first
    event, DMs marked for good. Call only on a request creation_refusal accepted.
    """
    amended = dict(request)
    state = list(_initial_state(request) or [])
    for event_type, content in _CREATION_DEFAULTS:
        if not any(item["type"] == event_type and item.get("state_key", "") == "" for item in state):
            state.append({"type": event_type, "state_key": "", "content": dict(content)})
    amended["initial_state"] = state
    if request.get("is_direct") is True:
        creation_content = request.get("creation_content")
        amended["creation_content"] = {**(creation_content if isinstance(creation_content, Mapping) else {}), DIRECT_MARKER: True}
    return amended


def fail_safe_allows(event_type: str) -> bool:
    """When a check fails unexpectedly: ordinary events go through, guarded ones are refused."""
    return event_type not in GUARDED_TYPES


def present_members(member_contents: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, str]:
    """user ID -> membership, from the (state_key, content) of the room's m.room.member events."""
    return {user: str(content.get("membership", "")) for user, content in member_contents}
