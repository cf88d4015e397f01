// Who may enter a call: the decision of the MatrixRTC authorisation service, on ports
// (the homeserver's OpenID check, who is in the room, who is a verified CPTS member,
// LiveKit), so every refusal is unit-tested without a server.
import { serverNameOf } from "../core/intake.ts";

/** The OpenID token a Matrix client got from `POST /_matrix/client/v3/user/{userId}/openid/request_token`. */
export interface OpenIdToken {
  readonly access_token: string;
  readonly matrix_server_name: string;
}

export interface CallAccessRequest {
  readonly roomId: string;
  readonly liveKitRoom: string;
  readonly openIdToken: OpenIdToken;
  /** The Matrix user the client says it is (`/get_token`), checked against the token's owner. */
  readonly claimedUserId?: string;
  /** The LiveKit participant identity, from the verified Matrix user. */
  identityOf(userId: string): string;
}

export interface AuthorisationPorts {
  /** The token's owner according to the homeserver; undefined for an unknown, expired or forged token. */
  openIdUser(token: OpenIdToken): Promise<string | undefined>;
  /** Whether the user is a joined member of the Matrix room, according to a bot that is in it. */
  roomMembership(roomId: string, userId: string): Promise<"joined" | "not-joined" | "room-unknown">;
  isVerifiedMember(userId: string): Promise<boolean>;
  /** Opens the LiveKit room (idempotent) and mints a join token for that room only. */
  admit(liveKitRoom: string, identity: string, userId: string): Promise<string>;
}

export type Refusal = {
  readonly kind: "refused";
  readonly status: 401 | 403;
  readonly errcode: "M_UNAUTHORIZED" | "M_FORBIDDEN";
  /** For the client (Element shows it in the call's error screen). */
  readonly error: string;
  /** For the log line: why, without any token. */
  readonly reason: string;
  readonly userId?: string;
};

export type Decision =
  | { readonly kind: "admitted"; readonly userId: string; readonly identity: string; readonly jwt: string }
  | Refusal;

const unauthorised = (reason: string, userId?: string): Refusal => ({
  kind: "refused",
  status: 401,
  errcode: "M_UNAUTHORIZED",
  error: "The request could not be authorised.",
  reason,
  ...(userId ? { userId } : {}),
});

const forbidden = (error: string, reason: string, userId?: string): Refusal => ({
  kind: "refused",
  status: 403,
  errcode: "M_FORBIDDEN",
  error,
  reason,
  ...(userId ? { userId } : {}),
});

export async function authoriseCall(request: CallAccessRequest, serverName: string, ports: AuthorisationPorts): Promise<Decision> {
  // Only this CPTS's homeserver is asked: a token naming another server could send the
  // service to fetch an address of the caller's choosing.
  if (request.openIdToken.matrix_server_name !== serverName) {
    return forbidden("Calls are for the accounts of this CPTS's server.", `token from another server (${request.openIdToken.matrix_server_name})`);
  }
  const userId = await ports.openIdUser(request.openIdToken);
  if (userId === undefined) return unauthorised("OpenID token unknown to the homeserver (expired, forged or revoked)");
  if (serverNameOf(userId) !== serverName) return unauthorised(`token owner ${userId} is not an account of ${serverName}`, userId);
  if (request.claimedUserId !== undefined && request.claimedUserId !== userId) {
    return unauthorised(`claimed user ${request.claimedUserId} is not the token's owner`, userId);
  }
  const membership = await ports.roomMembership(request.roomId, userId);
  if (membership === "room-unknown") {
    return forbidden("Calls are available in the CPTS's rooms where one of its bots is present (case rooms, SNP rooms).", "no bot knows this room", userId);
  }
  if (membership === "not-joined") return forbidden("You are not a member of this room.", "not a joined member of the room", userId);
  if (!(await ports.isVerifiedMember(userId))) {
    return forbidden("Calls are for verified members of the CPTS.", "not a verified CPTS member", userId);
  }
  const identity = request.identityOf(userId);
  const jwt = await ports.admit(request.liveKitRoom, identity, userId);
  return { kind: "admitted", userId, identity, jwt };
}
