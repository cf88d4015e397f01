// The production side of the authorisation ports: Synapse's OpenID user info, the bots that
// witness room membership, the annuaire's policy endpoint, and LiveKit's server API.
import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import type { AuthorisationPorts, OpenIdToken } from "./authorise.ts";
import type { RtcAuthOptions } from "./rtc-auth-options.ts";
import { WITNESS_PATH } from "../core/http/room-membership-routes.ts";

const REQUEST_TIMEOUT_MS = 5_000;
/** An empty LiveKit room is closed after this long (a participant reconnecting finds it again). */
const EMPTY_ROOM_TIMEOUT_SECONDS = 300;

const get = (url: string, bearer?: string): Promise<Response> =>
  fetch(url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

export function productionPorts(options: RtcAuthOptions): AuthorisationPorts {
  const rooms = new RoomServiceClient(options.liveKitApiUrl, options.liveKitKey, options.liveKitSecret);
  return {
    // Synapse serves it on a listener with the `openid` resource (synapse-config/*.yaml).
    async openIdUser(token: OpenIdToken) {
      const res = await get(`${options.homeserverUrl}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(token.access_token)}`);
      if (res.status === 401 || res.status === 403) return undefined;
      if (!res.ok) throw new Error(`homeserver user info: HTTP ${res.status}`);
      const body = (await res.json()) as { sub?: unknown };
      return typeof body.sub === "string" ? body.sub : undefined;
    },

    async roomMembership(roomId, userId) {
      const failures: string[] = [];
      for (const witness of options.witnessUrls) {
        const path = WITNESS_PATH.replace(":roomId", encodeURIComponent(roomId)).replace(":userId", encodeURIComponent(userId));
        try {
          const res = await get(`${witness}${path}`, options.witnessToken);
          if (res.status === 404) continue;
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const body = (await res.json()) as { joined?: unknown };
          return body.joined === true ? "joined" : "not-joined";
        } catch (err) {
          failures.push(`${witness}: ${(err as Error).message}`);
        }
      }
      // Refusing because a bot is down would look like "not a member": say it is an outage.
      if (failures.length === options.witnessUrls.length) throw new Error(`no bot answered about room membership (${failures.join("; ")})`);
      return "room-unknown";
    },

    async isVerifiedMember(userId) {
      const res = await get(`${options.directoryUrl}/policy/members/${encodeURIComponent(userId)}`, options.directoryToken);
      if (!res.ok) throw new Error(`directory policy endpoint: HTTP ${res.status}`);
      return ((await res.json()) as { verified?: unknown }).verified === true;
    },

    async admit(liveKitRoom, identity, userId) {
      await rooms.createRoom({ name: liveKitRoom, emptyTimeout: EMPTY_ROOM_TIMEOUT_SECONDS });
      const token = new AccessToken(options.liveKitKey, options.liveKitSecret, { identity, name: userId, ttl: options.tokenTtlSeconds });
      // No roomCreate, no admin: the token opens this one room, to speak, listen and share data.
      token.addGrant({ room: liveKitRoom, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
      return token.toJwt();
    },
  };
}
