// The console's HTTP behaviour with the homeserver replaced by a scripted answer (the real
// homeserver, password and SSO, is exercised in test/console.e2e.test.ts): who gets a
// session, what the cookies say, which posts are refused, and the SSO hand-over.
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type BotServices } from "../core/bot-runtime.ts";
import { testCpts } from "../directory/test-cpts.ts";
import { createLogger } from "../core/logger.ts";
import { openDatabase } from "../database.ts";
import { VerifiedMembers } from "../core/store/verified-members.ts";
import { GardeRota } from "../snp/garde/garde-rota.ts";
import { directoryBot } from "../registry.ts";
import { Membership } from "../directory/membership.ts";
import { DEFAULT_GUARD } from "../directory/import/guard.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../directory/territory.ts";
import { directoryCoordination } from "../directory/coordination.ts";
import { SqliteDirectory } from "../directory/sqlite-directory.ts";
import { CareActivity } from "../care/care-activity.ts";
import type { MembershipFlow } from "../directory/membership-flow.ts";
import { snpCoordination } from "../snp/read-model.ts";
import { ConsoleOptionsSchema } from "./console-options.ts";
import { createConsole } from "./console-routes.ts";
import type { HomeserverAuth, LoginFlows } from "./homeserver-auth.ts";
import { MONDAY, playScriptedWeek } from "../../test/helpers/snp-scripted-week.ts";

const COORDINATOR = "@coordination:cpts.test";
const NURSE = "@ide:cpts.test";
const DAY = 86_400_000;

interface Harness {
  readonly base: string;
  readonly loggedOut: string[];
  readonly decisions: unknown[][];
  flows: LoginFlows;
  readonly db: ReturnType<typeof openDatabase>;
  close(): Promise<void>;
}

async function harness(options: Record<string, unknown> = {}): Promise<Harness> {
  const db = openDatabase(":memory:");
  playScriptedWeek(db);
  const clock = { now: () => MONDAY + 10 * DAY };
  const loggedOut: string[] = [];
  const decisions: unknown[][] = [];
  const state = { flows: { password: true, sso: false } as LoginFlows };
  const auth: HomeserverAuth = {
    loginFlows: async () => state.flows,
    loginWithPassword: async (user, password) =>
      password !== "bon-mot-de-passe" ? { ok: false, reason: "refused" } : { ok: true, userId: user, accessToken: `token-${user}` },
    loginWithToken: async (token) => (token === "jeton-sso" ? { ok: true, userId: COORDINATOR, accessToken: "token-sso" } : { ok: false, reason: "refused" }),
    logout: async (token) => void loggedOut.push(token),
    ssoRedirectUrl: (callback) => `https://matrix.cpts.test/_matrix/client/v3/login/sso/redirect?redirectUrl=${encodeURIComponent(callback)}`,
  };
  const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
  const flow: Pick<MembershipFlow, "decideRequest" | "deactivate"> = {
    decideRequest: async (...args) => {
      decisions.push(args);
      return { outcome: "done", request: { id: 1, userId: NURSE, nationalId: "8", nameMatches: true, status: "approved", decidedBy: COORDINATOR } };
    },
    deactivate: async (userId) => {
      decisions.push(["deactivate", userId]);
      return 3;
    },
  };
  const console = createConsole({
    cptsName: "CPTS Test",
    coordinators: [COORDINATOR],
    options: ConsoleOptionsSchema.parse(options),
    homeserverUrl: () => "http://unused",
    clock,
    logger: createLogger("console-test", "silent"),
    directory: directoryCoordination({ db, membership: new Membership(db, clock), flow, territory, importGuard: DEFAULT_GUARD }),
    snp: snpCoordination(db, clock, new SqliteDirectory(db, clock, territory)),
    care: new CareActivity(db),
    auth,
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = express().use(console.router).listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loggedOut,
    decisions,
    db,
    get flows() {
      return state.flows;
    },
    set flows(value) {
      state.flows = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A browser's cookie jar, reduced to name=value. */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];
  private readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await fetch(`${this.base}${path}`, { redirect: "manual", headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await fetch(`${this.base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded", origin: this.base, "sec-fetch-site": "same-origin", ...headers },
        body: new URLSearchParams(form),
      }),
    );
  }

  /** The anti-forgery token of the page's forms. */
  static csrfOf(page: string): string {
    return /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

async function signIn(h: Harness, user = COORDINATOR): Promise<{ browser: Browser; csrf: string }> {
  const browser = new Browser(h.base);
  const form = await (await browser.get("/console/connexion")).text();
  const answer = await browser.post("/console/connexion", { _csrf: Browser.csrfOf(form), utilisateur: user, motDePasse: "bon-mot-de-passe" });
  expect(answer.status).toBe(303);
  const page = await (await browser.get("/console/")).text();
  return { browser, csrf: Browser.csrfOf(page) };
}

describe("console sign-in throttling", () => {
  let h: Harness;
  beforeAll(async () => (h = await harness({ trustedProxies: ["127.0.0.1"], signInLimits: { failuresPerAddress: 3, failuresPerAccount: 5, windowMinutes: 15 } })));
  afterAll(() => h.close());

  async function attempt(user: string, password: string, from: string): Promise<{ status: number; retryAfter: string | null; text: string }> {
    const browser = new Browser(h.base);
    const form = await (await browser.get("/console/connexion")).text();
    const answer = await browser.post("/console/connexion", { _csrf: Browser.csrfOf(form), utilisateur: user, motDePasse: password }, { "x-forwarded-for": from });
    return { status: answer.status, retryAfter: answer.headers.get("retry-after"), text: await answer.text() };
  }

  it("stops one browser after a few wrong passwords, in French with the wait, while the others still sign in", async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(`@intrus${i}:cpts.test`, "mauvais", "203.0.113.7")).status).toBe(401);
    const stopped = await attempt(COORDINATOR, "bon-mot-de-passe", "203.0.113.7");
    expect(stopped.status).toBe(429);
    expect(stopped.text).toContain("Trop de tentatives de connexion depuis cette adresse : réessayez dans 15 minutes.");
    expect(Number(stopped.retryAfter)).toBe(900);
    // The coordinator, from her own browser behind the same proxy, is not locked out.
    expect((await attempt(COORDINATOR, "bon-mot-de-passe", "198.51.100.2")).status).toBe(303);
  });

  it("stops guessing one account from many addresses", async () => {
    for (let i = 0; i < 5; i++) expect((await attempt("@cible:cpts.test", "mauvais", `192.0.2.${i}`)).status).toBe(401);
    const stopped = await attempt("@cible:cpts.test", "bon-mot-de-passe", "192.0.2.100");
    expect(stopped.status).toBe(429);
    expect(stopped.text).toContain("Trop de tentatives de connexion sur ce compte");
  });
});

describe("console sign-in", () => {
  let h: Harness;
  beforeAll(async () => (h = await harness()));
  afterAll(() => h.close());

  it("sends a visitor to the sign-in form, whose cookie is HttpOnly, SameSite=Strict and limited to /console", async () => {
    const browser = new Browser(h.base);
    const home = await browser.get("/console/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/console/connexion");
    const form = await browser.get("/console/connexion");
    expect(form.status).toBe(200);
    expect(browser.setCookies.at(-1)).toMatch(/^cpts_console_connexion=[\w-]+; Max-Age=3600; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(form.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(form.headers.get("x-frame-options")).toBe("DENY");
    const text = await form.text();
    expect(text).toContain('<label for="utilisateur">Identifiant Matrix</label>');
    expect(text).not.toContain("/console/sso");
  });

  it("gives a coordinator a session and logs the Matrix session out at once", async () => {
    const { browser, csrf } = await signIn(h);
    expect(browser.setCookies.find((c) => c.startsWith("cpts_console="))).toMatch(/; Max-Age=43200; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(h.loggedOut).toContain(`token-${COORDINATOR}`);
    expect(csrf).not.toBe("");
    const page = await (await browser.get("/console/membres")).text();
    expect(page).toContain(`Connecté(e) : <strong>${COORDINATOR}</strong>`);
  });

  it("refuses a wrong password and a member who is not a coordinator (whose Matrix session is logged out too)", async () => {
    const browser = new Browser(h.base);
    let form = await (await browser.get("/console/connexion")).text();
    const wrong = await browser.post("/console/connexion", { _csrf: Browser.csrfOf(form), utilisateur: COORDINATOR, motDePasse: "faux" });
    expect(wrong.status).toBe(401);
    form = await wrong.text();
    expect(form).toContain("Identifiant ou mot de passe incorrect.");
    expect(form).toContain(`value="${COORDINATOR}"`);
    const nurse = await browser.post("/console/connexion", { _csrf: Browser.csrfOf(form), utilisateur: NURSE, motDePasse: "bon-mot-de-passe" });
    expect(nurse.status).toBe(403);
    expect(await nurse.text()).toContain("réservée aux coordinateurs");
    expect(h.loggedOut).toContain(`token-${NURSE}`);
    expect(browser.cookies.has("cpts_console")).toBe(false);
  });

  it("refuses a sign-in form without its token, or posted from another site", async () => {
    const browser = new Browser(h.base);
    const form = await (await browser.get("/console/connexion")).text();
    const fields = { utilisateur: COORDINATOR, motDePasse: "bon-mot-de-passe" };
    expect((await browser.post("/console/connexion", fields)).status).toBe(403);
    expect((await browser.post("/console/connexion", { ...fields, _csrf: Browser.csrfOf(form) }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(browser.cookies.has("cpts_console")).toBe(false);
  });

  it("marks cookies Secure when the console is published over https", async () => {
    const secured = await harness({ publicOrigin: "https://cpts.test" });
    try {
      const browser = new Browser(secured.base);
      await browser.get("/console/connexion");
      expect(browser.setCookies.at(-1)).toMatch(/; Secure; SameSite=Strict$/);
    } finally {
      await secured.close();
    }
  });

  it("signs out: the session cookie no longer opens anything", async () => {
    const { browser, csrf } = await signIn(h);
    const session = browser.cookies.get("cpts_console")!;
    const out = await browser.post("/console/deconnexion", { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/connexion?au-revoir");
    const again = await fetch(`${h.base}/console/`, { redirect: "manual", headers: { cookie: `cpts_console=${session}` } });
    expect(again.status).toBe(303);
  });
});

describe("console SSO (homeserver answer scripted)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ publicOrigin: "https://cpts.test" });
    h.flows = { password: true, sso: true };
  });
  afterAll(() => h.close());

  it("offers SSO when the homeserver does, and sends the browser there with a state cookie it must bring back", async () => {
    const browser = new Browser(h.base);
    expect(await (await browser.get("/console/connexion")).text()).toContain('href="/console/sso"');
    const leave = await browser.get("/console/sso");
    expect(leave.status).toBe(303);
    const location = new URL(leave.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://matrix.cpts.test/_matrix/client/v3/login/sso/redirect");
    const callback = new URL(location.searchParams.get("redirectUrl")!);
    expect(`${callback.origin}${callback.pathname}`).toBe("https://cpts.test/console/sso/retour");
    const state = callback.searchParams.get("etat")!;
    expect(browser.setCookies.at(-1)).toMatch(new RegExp(`^cpts_console_sso=${state}; Max-Age=600; Path=/console; HttpOnly; Secure; SameSite=Lax$`));

    const forged = new Browser(h.base);
    expect((await forged.get(`/console/sso/retour?etat=${state}&loginToken=jeton-sso`)).status).toBe(400);
    expect((await browser.get(`/console/sso/retour?etat=${state}&loginToken=autre`)).status).toBe(401);

    await browser.get("/console/sso");
    const again = new URL(new URL((await browser.get("/console/sso")).headers.get("location")!).searchParams.get("redirectUrl")!);
    const back = await browser.get(`/console/sso/retour?etat=${again.searchParams.get("etat")}&loginToken=jeton-sso`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('<meta http-equiv="refresh" content="0;url=/console/">');
    expect(h.loggedOut).toContain("token-sso");
    expect((await browser.get("/console/")).status).toBe(200);
  });

  it("says so when the homeserver offers no SSO", async () => {
    h.flows = { password: true, sso: false };
    const answer = await new Browser(h.base).get("/console/sso");
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain("ne propose pas de connexion unique");
  });
});

describe("console pages", () => {
  let h: Harness;
  beforeAll(async () => (h = await harness()));
  afterAll(() => h.close());

  it("refuses a change without the session's token or from another site, and without a session", async () => {
    const { browser, csrf } = await signIn(h);
    expect((await browser.post("/console/membres/demandes/1/approuver", {})).status).toBe(403);
    expect((await browser.post("/console/membres/demandes/1/approuver", { _csrf: "autre" })).status).toBe(403);
    expect((await browser.post("/console/membres/demandes/1/approuver", { _csrf: csrf }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await new Browser(h.base).post("/console/membres/demandes/1/approuver", { _csrf: csrf })).status).toBe(401);
    expect(h.decisions).toEqual([]);
  });

  it("approves a request through the membership flow, in the coordinator's name", async () => {
    const { browser, csrf } = await signIn(h);
    const answer = await browser.post("/console/membres/demandes/1/approuver", { _csrf: csrf });
    expect(answer.status).toBe(303);
    expect(h.decisions).toEqual([[1, "approve", COORDINATOR]]);
    const page = await (await browser.get(answer.headers.get("location")!)).text();
    expect(page).toContain(`Inscription de ${NURSE} validée`);
  });

  it("removes a member after a confirmation page, but never a coordinator nor an account that is not a member", async () => {
    new VerifiedMembers(h.db, { now: () => MONDAY }).markVerified(NURSE, COORDINATOR);
    new VerifiedMembers(h.db, { now: () => MONDAY }).markVerified(COORDINATOR, COORDINATOR);
    const { browser, csrf } = await signIn(h);
    const list = await (await browser.get("/console/membres")).text();
    expect(list).toContain(`href="/console/membres/retirer?compte=${encodeURIComponent(NURSE)}"`);
    expect(list).not.toContain(`retirer?compte=${encodeURIComponent(COORDINATOR)}`);
    const confirm = await (await browser.get(`/console/membres/retirer?compte=${encodeURIComponent(NURSE)}`)).text();
    expect(confirm).toContain(`Retirer <strong>${NURSE}</strong> de la CPTS ?`);
    h.decisions.length = 0;
    for (const [account, code] of [[COORDINATOR, "coordination"], ["@inconnu:cpts.test", "pas-membre"], [NURSE, "retire"]] as const) {
      const answer = await browser.post("/console/membres/retirer", { _csrf: csrf, compte: account });
      expect(answer.headers.get("location")).toBe(`/console/membres?fait=${code}&compte=${encodeURIComponent(account)}`);
    }
    expect(h.decisions).toEqual([["deactivate", NURSE]]);
  });

  it("exports the indicators as a CSV file a French spreadsheet opens", async () => {
    const { browser } = await signIn(h);
    const csv = await browser.get("/console/indicateurs.csv?par=semaine&periode=dates&du=2026-11-16&au=2026-11-22");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="snp-indicateurs-semaines-2026-11-16_2026-11-22.csv"');
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split("\r\n")[1]).toMatch(/^2026-W47;6;5;1;3;3;30;90;/);
    expect((await browser.get("/console/indicateurs.csv?par=jour")).status).toBe(400);
  });

  it("shows the charts of a chosen period, and explains a period it cannot read", async () => {
    const { browser } = await signIn(h);
    const page = await (await browser.get("/console/?periode=dates&du=2026-11-16&au=2026-11-22")).text();
    expect(page).toContain('<svg class="graphique" id="graphique-demandes" role="img"');
    expect(page).toContain('<tr><th scope="row">2026-W47</th><td>6</td></tr>');
    const refused = await browser.get("/console/?periode=dates&du=2026-11-22&au=2026-11-16");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("la fin précède le début");
  });

  it("adds a shift with the same rules as !garde ajout, and removes it", async () => {
    const { browser, csrf } = await signIn(h);
    const tooLong = await browser.post("/console/garde", { _csrf: csrf, compte: NURSE, debut: "2026-11-27T20:00", fin: "2026-12-01T08:00", libelle: "" });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("une garde dure 72 h au plus");
    const added = await browser.post("/console/garde", { _csrf: csrf, compte: NURSE, debut: "2026-11-27T20:00", fin: "2026-11-28T08:00", libelle: "nuit   secteur nord" });
    expect(added.status).toBe(303);
    const [shift] = new GardeRota(h.db, { now: () => MONDAY + 10 * DAY }).upcoming(MONDAY + 10 * DAY, 10);
    expect(shift).toMatchObject({ userId: NURSE, startsAt: Date.UTC(2026, 10, 27, 19, 0), endsAt: Date.UTC(2026, 10, 28, 7, 0), label: "nuit secteur nord" });
    const page = await (await browser.get(added.headers.get("location")!)).text();
    expect(page).toContain(`Garde n° ${shift!.id} ajoutée`);
    expect((await browser.post(`/console/garde/${shift!.id}/retirer`, { _csrf: csrf })).status).toBe(303);
    expect((await browser.post(`/console/garde/${shift!.id}/retirer`, { _csrf: csrf })).status).toBe(404);
  });
});

describe("the annuaire's HTTP routes", () => {
  it("serve the console beside Synapse's policy endpoint", async () => {
    const token = "policy-token-for-tests-0123456789";
    const tokenFile = join(mkdtempSync(join(tmpdir(), "console-policy-")), "token");
    writeFileSync(tokenFile, token);
    const db = openDatabase(":memory:");
    const clock = { now: () => 0 };
    const services = {
      db, clock, members: new VerifiedMembers(db, clock), logger: createLogger("annuaire-test", "silent"), cpts: testCpts({ name: "CPTS Test", coordinators: [COORDINATOR] }),
    } as unknown as BotServices;
    const { httpRoutes } = createBot(directoryBot, services, { policyApiTokenFile: tokenFile });
    const server = await new Promise<Server>((resolve) => {
      const listening = express().use(httpRoutes!).listen(0, "127.0.0.1", () => resolve(listening));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const policy = await fetch(`${base}/policy/members/${encodeURIComponent(NURSE)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(await policy.json()).toEqual({ verified: false });
      expect((await fetch(`${base}/console/connexion`)).status).toBe(200);
      expect((await fetch(`${base}/console`, { redirect: "manual" })).headers.get("location")).toBe("/console/");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
