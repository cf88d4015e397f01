// The bots under the Matrix Authentication Service (MAS_ENABLED=true), without MAS itself
// (no MAS binary here). With delegation on, Synapse 1.163 no longer serves /login, /logout,
// /refresh, /register, /account/password, /account/deactivate, /delete_devices nor the
// shared-secret /_synapse/admin/v1/register (synapse/rest/client/login.py, logout.py,
// register.py, account.py, devices.py, rest/admin/__init__.py): MAS's compatibility layer
// answers the first three, through the proxy (client/Caddyfile). So:
//   - the bots log in with m.login.password on /_matrix/client/v3/login, as MAS's
//     compatibility layer accepts it (crates/handlers/src/compat/login.rs of MAS 1.22.0,
//     reproduced by the stub below), and reach it through the proxy (docs/deploy.md);
//   - nothing in the bots uses an endpoint that is gone.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixHomeserverAuth } from "../bots/console/homeserver-auth.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

// --- MAS's compatibility login, as MAS 1.22.0 implements it ---------------------------------

const SERVER_NAME = "cpts-exemple.fr";
const ACCOUNTS = new Map([["coordination", "mot-de-passe-coordination"], ["annuaire", "mot-de-passe-annuaire"]]);
const LOGIN_TOKENS = new Map([["jeton-sso", "ps810101234567"]]);

interface Seen {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/**
 * GET /login lists m.login.password, m.login.sso and m.login.token; POST /login takes
 * m.login.password with identifier m.id.user (a localpart or a full Matrix ID of this
 * server) or m.login.token; anything else is M_UNKNOWN / M_FORBIDDEN. POST /logout needs
 * the access token. Every other path is not MAS's (404).
 */
function masCompat(seen: Seen[]) {
  const tokens = new Set<string>();
  return (req: IncomingMessage, res: ServerResponse): void => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = (req.url ?? "").split("?")[0]!;
      seen.push({ method: req.method ?? "", path, body });
      const reply = (status: number, json: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      };
      const session = (localpart: string): void => {
        const token = `mct_${localpart}_${tokens.size}`;
        tokens.add(token);
        reply(200, { access_token: token, device_id: `DEV${tokens.size}`, user_id: `@${localpart}:${SERVER_NAME}` });
      };
      if (!/^\/_matrix\/client\/[^/]+\/(login|logout)$/.test(path)) return reply(404, { errcode: "M_UNRECOGNIZED" });
      if (path.endsWith("/login") && req.method === "GET") {
        return reply(200, { flows: [{ type: "m.login.password" }, { type: "m.login.sso", oauth_aware_preferred: true }, { type: "m.login.token" }] });
      }
      if (path.endsWith("/logout")) {
        const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
        return tokens.delete(token) ? reply(200, {}) : reply(401, { errcode: "M_UNKNOWN_TOKEN" });
      }
      if (body["type"] === "m.login.password") {
        const identifier = body["identifier"] as { type?: string; user?: string } | undefined;
        if (!identifier && typeof body["user"] !== "string") return reply(400, { errcode: "M_BAD_JSON", error: "missing property 'identifier'" });
        if (identifier && identifier.type !== "m.id.user") return reply(400, { errcode: "M_UNKNOWN", error: "unsupported identifier type" });
        const user = identifier?.user ?? (body["user"] as string);
        const localpart = user.replace(new RegExp(`^@(.*):${SERVER_NAME.replace(/\./g, "\\.")}$`), "$1");
        if (ACCOUNTS.get(localpart) !== body["password"]) return reply(403, { errcode: "M_FORBIDDEN" });
        return session(localpart);
      }
      if (body["type"] === "m.login.token") {
        const localpart = LOGIN_TOKENS.get(String(body["token"]));
        return localpart ? session(localpart) : reply(403, { errcode: "M_FORBIDDEN" });
      }
      return reply(400, { errcode: "M_UNKNOWN", error: "unsupported login method" });
    });
  };
}

// --- endpoints gone under delegation -------------------------------------------------------------

/** What the bots must not call with MAS on: Synapse stops serving it and MAS does not serve it. */
const GONE_UNDER_MAS: [string, RegExp][] = [
  ["registration", /\.register(Request|Guest)?\(|\/_matrix\/client\/[^/"'`]+\/register\b/],
  ["password change", /\.setPassword\(|\/account\/password\b/],
  ["account deactivation", /\.deactivateAccount\(|\/account\/deactivate\b/],
  ["deleting several devices (UIA)", /\.deleteMultipleDevices\(|\/delete_devices\b/],
  ["shared-secret registration", /_synapse\/admin\/v1\/register/],
  ["password reset by an admin", /_synapse\/admin\/v1\/reset_password/],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function goneEndpointUses(files: Map<string, string>): string[] {
  return [...files].flatMap(([file, text]) => GONE_UNDER_MAS.filter(([, pattern]) => pattern.test(text)).map(([what]) => `${file}: ${what}`));
}

// --- tests ---------------------------------------------------------------------------------------------

describe("bots under MAS", () => {
  const seen: Seen[] = [];
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer(masCompat(seen));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("the coordinator console signs in through MAS's compatibility layer: password, SSO login token, logout", async () => {
    const auth = matrixHomeserverAuth(() => url, "https://matrix.cpts-exemple.fr");
    expect(await auth.loginFlows()).toEqual({ password: true, sso: true });
    const password = await auth.loginWithPassword("coordination", "mot-de-passe-coordination");
    expect(password).toMatchObject({ ok: true, userId: "@coordination:cpts-exemple.fr" });
    expect(await auth.loginWithPassword("coordination", "faux")).toEqual({ ok: false, reason: "refused" });
    const sso = await auth.loginWithToken("jeton-sso");
    expect(sso).toMatchObject({ ok: true, userId: "@ps810101234567:cpts-exemple.fr" });
    if (!password.ok || !sso.ok) throw new Error("unreachable");
    await auth.logout(password.accessToken);
    await auth.logout(sso.accessToken);
    // MAS serves the SSO redirect of the compatibility layer on the homeserver's host.
    expect(auth.ssoRedirectUrl("https://cpts-exemple.fr/console/sso")).toMatch(/^https:\/\/matrix\.cpts-exemple\.fr\/_matrix\/client\/v3\/login\/sso\/redirect\?/);
    expect(seen.filter((s) => s.method === "POST").map((s) => s.path)).toEqual([
      "/_matrix/client/v3/login",
      "/_matrix/client/v3/login",
      "/_matrix/client/v3/login",
      "/_matrix/client/v3/logout",
      "/_matrix/client/v3/logout",
    ]);
  });

  it("a bot's device login is the m.login.password request MAS accepts, with a non-expiring token", async () => {
    // bots/core/matrix/init-device-child.ts sends this body through matrix-js-sdk's
    // loginRequest; checked here against the source, then against the stub.
    const child = readFileSync(join(ROOT, "bots/core/matrix/init-device-child.ts"), "utf8");
    const call = /loginRequest\(\{([\s\S]*?)\}\)/.exec(child)?.[1] ?? "";
    expect(call).toMatch(/type: "m\.login\.password"/);
    expect(call).toMatch(/identifier: \{ type: "m\.id\.user", user: request\.userId \}/);
    // No refresh_token: MAS then issues a token without expiry (compat_token_ttl applies
    // only to refreshable ones), as the bots expect.
    expect(call).not.toMatch(/refresh_token/);
    const response = await fetch(`${url}/_matrix/client/v3/login`, {
      method: "POST",
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "@annuaire:cpts-exemple.fr" }, password: "mot-de-passe-annuaire", initial_device_display_name: "annuaire" }),
    });
    expect(response.status).toBe(200);
    const session = (await response.json()) as Record<string, unknown>;
    expect(session).toMatchObject({ user_id: "@annuaire:cpts-exemple.fr" });
    expect(session).not.toHaveProperty("expires_in_ms");
  });

  it("the stub refuses what MAS refuses (it is not a yes-machine)", async () => {
    const post = (body: unknown) => fetch(`${url}/_matrix/client/v3/login`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.status);
    expect(await post({ type: "m.login.password", identifier: { type: "m.id.thirdparty", medium: "email", address: "a@b.fr" }, password: "x" })).toBe(400);
    expect(await post({ type: "m.login.dummy" })).toBe(400);
    expect(await post({ type: "m.login.token", token: "inconnu" })).toBe(403);
    expect((await fetch(`${url}/_matrix/client/v3/register`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("no bot or bridge uses an endpoint that is gone once Synapse delegates to MAS", () => {
    const files = new Map([...sourceFiles(join(ROOT, "bots")), ...sourceFiles(join(ROOT, "bridges"))].map((file) => [relative(ROOT, file), readFileSync(file, "utf8")]));
    expect(files.size).toBeGreaterThan(20);
    expect(goneEndpointUses(files)).toEqual([]);
    // The scan does find them.
    expect(goneEndpointUses(new Map([
      ["a.ts", "await client.setPassword(auth, pw);"],
      ["b.ts", "fetch(`${base}/_synapse/admin/v1/register`)"],
      ["c.ts", "await client.deleteMultipleDevices(ids, auth);"],
    ]))).toEqual(["a.ts: password change", "b.ts: shared-secret registration", "c.ts: deleting several devices (UIA)"]);
  });
});
