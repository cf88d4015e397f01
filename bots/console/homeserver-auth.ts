// Who is signing in to the console: the CPTS's own homeserver says so. The console asks it
// to log in (password, or the login token an SSO sign-in hands back), reads the Matrix ID it
// answers with, and logs that Matrix session out straight away: no device is left behind.

export type LoginOutcome =
  | { readonly ok: true; readonly userId: string; readonly accessToken: string }
  | { readonly ok: false; readonly reason: "refused" | "unavailable" }
  | { readonly ok: false; readonly reason: "rate-limited"; readonly retryAfterMs?: number };

export interface LoginFlows {
  readonly password: boolean;
  readonly sso: boolean;
}

/** The port the console's sign-in routes use; tests of those routes may replace it. */
export interface HomeserverAuth {
  loginFlows(): Promise<LoginFlows>;
  /** `clientAddress`: the browser's, told to the homeserver so that its per-address login limit counts each browser, not the console. */
  loginWithPassword(user: string, password: string, clientAddress?: string): Promise<LoginOutcome>;
  loginWithToken(loginToken: string): Promise<LoginOutcome>;
  logout(accessToken: string): Promise<void>;
  /** Where the browser goes to sign in through the homeserver's SSO, coming back to `callbackUrl` with `loginToken`. */
  ssoRedirectUrl(callbackUrl: string): string;
}

const TIMEOUT_MS = 10_000;
/** Shown in the account's session list for the instant it exists. */
const DEVICE_NAME = "Console de coordination (vérification de connexion)";

function base(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * `homeserverUrl`: how the bot reaches the client-server API (read when needed: the bot's
 * Matrix client knows it); `publicHomeserverUrl`: how a browser does (they differ inside a
 * compose network), for the SSO redirect only; default: the same.
 */
export function matrixHomeserverAuth(homeserverUrl: () => string, publicHomeserverUrl?: string): HomeserverAuth {
  const api = (): string => `${base(homeserverUrl())}/_matrix/client/v3`;

  async function login(body: Record<string, unknown>, clientAddress?: string): Promise<LoginOutcome> {
    let response: Response;
    try {
      response = await fetch(`${api()}/login`, {
        method: "POST",
        // Synapse's listener trusts X-Forwarded-For (x_forwarded: true, inside the compose network).
        headers: { "content-type": "application/json", ...(clientAddress ? { "x-forwarded-for": clientAddress } : {}) },
        body: JSON.stringify({ ...body, initial_device_display_name: DEVICE_NAME, refresh_token: false }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      return { ok: false, reason: "unavailable" };
    }
    if (response.status >= 500) return { ok: false, reason: "unavailable" };
    const answer = (await response.json().catch(() => ({}))) as { user_id?: unknown; access_token?: unknown; retry_after_ms?: unknown };
    if (response.status === 429) {
      return { ok: false, reason: "rate-limited", ...(typeof answer.retry_after_ms === "number" ? { retryAfterMs: answer.retry_after_ms } : {}) };
    }
    if (!response.ok) return { ok: false, reason: "refused" };
    if (typeof answer.user_id !== "string" || typeof answer.access_token !== "string") return { ok: false, reason: "unavailable" };
    return { ok: true, userId: answer.user_id, accessToken: answer.access_token };
  }

  return {
    async loginFlows() {
      try {
        const response = await fetch(`${api()}/login`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        const { flows } = (await response.json()) as { flows?: { type?: unknown }[] };
        const types = new Set((flows ?? []).map((f) => f.type));
        return { password: types.has("m.login.password"), sso: types.has("m.login.sso") };
      } catch {
        // The form is still shown; signing in then tells the homeserver is unreachable.
        return { password: true, sso: false };
      }
    },
    loginWithPassword: (user, password, clientAddress) => login({ type: "m.login.password", identifier: { type: "m.id.user", user }, password }, clientAddress),
    loginWithToken: (loginToken) => login({ type: "m.login.token", token: loginToken }),
    async logout(accessToken) {
      const response = await fetch(`${api()}/logout`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: "{}",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`logout answered HTTP ${response.status}`);
    },
    ssoRedirectUrl: (callbackUrl) => `${base(publicHomeserverUrl ?? homeserverUrl())}/_matrix/client/v3/login/sso/redirect?redirectUrl=${encodeURIComponent(callbackUrl)}`,
  };
}
