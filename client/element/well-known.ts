// The two discovery files the reverse proxy serves on the server name
// (https://<server name>/.well-known/matrix/...): how clients and other servers find the
// homeserver, and the CPTS's encryption policy for clients.
import type { CptsBranding } from "./branding.ts";

/** https://spec.matrix.org/latest/client-server-api/#getwell-knownmatrixclient, with the keys Element reads. */
export interface ClientWellKnown {
  "m.homeserver": { base_url: string };
  /** Element's encryption policy (Element Web `IE2EEWellKnown`, Element X reads `default` too). */
  "io.element.e2ee": {
    /** New rooms and direct chats are encrypted. */
    default: true;
    /** Every member sets up key storage and a recovery key: a lost phone does not lose the history. */
    secure_backup_required: true;
  };
  /** MSC4143: the MatrixRTC backend Element Call (Web and X) uses. */
  "org.matrix.msc4143.rtc_foci"?: { type: "livekit"; livekit_service_url: string }[];
  /**
   * MSC2965: sign-in is delegated to this OpenID Connect issuer (the Matrix Authentication
   * Service); Element X signs in through it, and links members to their account page.
   */
  "org.matrix.msc2965.authentication"?: { issuer: string; account: string };
}

/** https://spec.matrix.org/latest/server-server-api/#getwell-knownmatrixserver */
export interface ServerWellKnown {
  "m.server": string;
}

export function clientWellKnown(branding: CptsBranding): ClientWellKnown {
  return {
    "m.homeserver": { base_url: branding.homeserverUrl },
    "io.element.e2ee": { default: true, secure_backup_required: true },
    ...(branding.callLivekitServiceUrl
      ? { "org.matrix.msc4143.rtc_foci": [{ type: "livekit", livekit_service_url: branding.callLivekitServiceUrl }] }
      : {}),
    ...(branding.authentication
      ? { "org.matrix.msc2965.authentication": { issuer: branding.authentication.issuer, account: branding.authentication.accountUrl } }
      : {}),
  };
}

/** Federation, when the CPTS opens it, reaches Synapse through the proxy on port 443. */
export function serverWellKnown(branding: CptsBranding): ServerWellKnown {
  return { "m.server": `${new URL(branding.homeserverUrl).hostname}:443` };
}
