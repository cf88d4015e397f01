// Signing in to the console with the coordinator's Matrix account: the password form, or
// the homeserver's SSO (Pro Santé Connect in production). Only the annuaire's coordinators
// get a session; the Matrix session used for the check is logged out at once.
import { Router, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "../core/logger.ts";
import type { HomeserverAuth, LoginOutcome } from "./homeserver-auth.ts";
import { html } from "./html.ts";
import { CONSOLE_BASE, csrfField, page, type Notice } from "./layout.ts";
import { newToken, sameToken, type ConsoleSession, type SessionStore } from "./sessions.ts";
import { clientAddress, frenchWait, type SignInThrottle } from "./sign-in-throttle.ts";
import { clearCookie, consoleOrigin, fromSameOrigin, overHttps, readCookie, setCookie, SESSION_COOKIE, SIGN_IN_COOKIE, SSO_STATE_COOKIE } from "./web.ts";

export interface SignInDeps {
  readonly cptsName: string;
  readonly coordinators: readonly string[];
  readonly auth: HomeserverAuth;
  readonly sessions: SessionStore;
  readonly logger: Logger;
  readonly publicOrigin: string | undefined;
  readonly sessionMaxAgeSeconds: number;
  readonly throttle: SignInThrottle;
  /** Addresses of the reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
}

const SSO_STATE_SECONDS = 600;
const SIGN_IN_PATH = `${CONSOLE_BASE}/connexion`;
const SSO_RETURN_PATH = `${CONSOLE_BASE}/sso/retour`;

interface Refusal {
  readonly status: number;
  readonly notice: Notice;
  /** Sent as Retry-After. */
  readonly retryAfterMs?: number;
}

const refusal = (status: number, text: string): Refusal => ({ status, notice: { kind: "erreur", text } });

function refusalOf(outcome: Exclude<LoginOutcome, { ok: true }>): Refusal {
  switch (outcome.reason) {
    case "refused":
      return refusal(401, "Identifiant ou mot de passe incorrect.");
    case "rate-limited":
      return tooManyAttempts("", outcome.retryAfterMs ?? 60_000);
    case "unavailable":
      return refusal(503, "Le serveur de messagerie ne répond pas pour le moment. Réessayez dans quelques instants.");
  }
}

function tooManyAttempts(scope: string, retryAfterMs: number): Refusal {
  return { ...refusal(429, `Trop de tentatives de connexion${scope} : réessayez dans ${frenchWait(retryAfterMs)}.`), retryAfterMs };
}
/** The headers of a refusal (the page itself is the sign-in form with its notice). */
function refuse(res: Response, refused: Refusal): void {
  if (refused.retryAfterMs !== undefined) res.set("retry-after", String(Math.ceil(refused.retryAfterMs / 1000)));
}

const NOT_COORDINATOR = refusal(403, "Ce compte n'a pas accès à la console : elle est réservée aux coordinateurs et coordinatrices de la CPTS.");

/** The signed-in coordinator of this request (set by requireSession). */
export function sessionOf(res: Response): ConsoleSession {
  return res.locals["session"] as ConsoleSession;
}

/** Pages and actions behind the sign-in: a visitor without session is sent to the sign-in page. */
export function requireSession(deps: Pick<SignInDeps, "sessions">) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const session = deps.sessions.touch(readCookie(req, SESSION_COOKIE));
    if (!session) {
      if (req.method === "GET" && req.accepts(["html", "json"]) === "html") res.redirect(303, SIGN_IN_PATH);
      else res.status(401).type("text/plain").send("Session expirée : reconnectez-vous à la console.");
      return;
    }
    res.locals["session"] = session;
    next();
  };
}

/** Every post of a signed-in page: from a console page, with the session's token. */
export function requireCsrf(publicOrigin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = (req.body as Record<string, unknown> | undefined)?.["_csrf"];
    if (!fromSameOrigin(req, publicOrigin) || !sameToken(typeof token === "string" ? token : undefined, sessionOf(res).csrfToken)) {
      res.status(403).type("text/plain").send("Formulaire refusé : rechargez la page et recommencez.");
      return;
    }
    next();
  };
}

export function signInRoutes(deps: SignInDeps): Router {
  const router = Router();
  const secure = (req: Request): boolean => overHttps(req, deps.publicOrigin);

  function signInPage(req: Request, res: Response, status: number, pageNotices: readonly Notice[], sso: boolean, user = ""): void {
    const token = newToken();
    setCookie(res, SIGN_IN_COOKIE, token, { secure: secure(req), sameSite: "strict", maxAgeSeconds: 3600 });
    const ssoBlock = sso
      ? html`<p class="separateur">ou</p><p><a class="bouton secondaire" href="${CONSOLE_BASE}/sso">Se connecter avec l'authentification unique (SSO)</a></p>`
      : "";
    const body = html`<div class="connexion"><form class="carte" method="post" action="${SIGN_IN_PATH}">
${csrfField(token)}
<p>Connectez-vous avec votre compte de messagerie de la CPTS.</p>
<label for="utilisateur">Identifiant Matrix</label>
<p class="aide" id="utilisateur-aide">Par exemple @camille.martin:cpts-exemple.fr</p>
<input type="text" id="utilisateur" name="utilisateur" autocomplete="username" autocapitalize="none" spellcheck="false" required aria-describedby="utilisateur-aide" value="${user}">
<label for="mot-de-passe">Mot de passe</label>
<input type="password" id="mot-de-passe" name="motDePasse" autocomplete="current-password" required>
<p><button type="submit">Se connecter</button></p>
</form>${ssoBlock}</div>`;
    res.status(status).type("html").send(page({ title: "Connexion", cptsName: deps.cptsName, body, notices: pageNotices }));
  }

  /** The homeserver said who this is: a session for a coordinator, a refusal for anyone else. */
  async function admit(req: Request, res: Response, outcome: LoginOutcome, via: "password" | "sso"): Promise<"admitted" | Refusal> {
    if (!outcome.ok) {
      deps.logger.info({ via, outcome: outcome.reason }, "console sign-in failed");
      return refusalOf(outcome);
    }
    await deps.auth.logout(outcome.accessToken).catch((err: unknown) => {
      deps.logger.warn({ via, userId: outcome.userId, err: (err as Error).message }, "could not log out the Matrix session used to sign in to the console");
    });
    if (!deps.coordinators.includes(outcome.userId)) {
      deps.logger.warn({ via, userId: outcome.userId }, "console sign-in refused: not a coordinator");
      return NOT_COORDINATOR;
    }
    const { id } = deps.sessions.open(outcome.userId);
    setCookie(res, SESSION_COOKIE, id, { secure: secure(req), sameSite: "strict", maxAgeSeconds: deps.sessionMaxAgeSeconds });
    clearCookie(res, SIGN_IN_COOKIE, secure(req));
    deps.logger.info({ via, userId: outcome.userId }, "console sign-in");
    return "admitted";
  }

  router.get("/connexion", async (req, res) => {
    if (deps.sessions.touch(readCookie(req, SESSION_COOKIE))) {
      res.redirect(303, `${CONSOLE_BASE}/`);
      return;
    }
    const flows = await deps.auth.loginFlows();
    const bye: Notice[] = req.query["au-revoir"] !== undefined ? [{ kind: "succes", text: "Vous êtes déconnecté(e) de la console." }] : [];
    signInPage(req, res, 200, bye, flows.sso);
  });

  router.post("/connexion", async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const user = typeof form["utilisateur"] === "string" ? form["utilisateur"].trim().slice(0, 255) : "";
    const password = typeof form["motDePasse"] === "string" ? form["motDePasse"] : "";
    const { sso } = await deps.auth.loginFlows();
    if (!fromSameOrigin(req, deps.publicOrigin) || !sameToken(typeof form["_csrf"] === "string" ? form["_csrf"] : undefined, readCookie(req, SIGN_IN_COOKIE))) {
      signInPage(req, res, 403, [{ kind: "erreur", text: "Le formulaire a expiré : saisissez à nouveau votre identifiant et votre mot de passe." }], sso, user);
      return;
    }
    if (user === "" || password === "") {
      signInPage(req, res, 400, [{ kind: "erreur", text: "Indiquez votre identifiant Matrix et votre mot de passe." }], sso, user);
      return;
    }
    const address = clientAddress(req.socket.remoteAddress, req.get("x-forwarded-for"), deps.trustedProxies);
    const verdict = deps.throttle.check(address, user);
    if (!verdict.allowed) {
      deps.logger.warn({ by: verdict.by, retryAfterMs: verdict.retryAfterMs }, "console sign-in throttled");
      const refused = tooManyAttempts(verdict.by === "address" ? " depuis cette adresse" : " sur ce compte", verdict.retryAfterMs);
      refuse(res, refused);
      signInPage(req, res, refused.status, [refused.notice], sso, user);
      return;
    }
    const outcome = await deps.auth.loginWithPassword(user, password, address);
    if (outcome.ok) deps.throttle.succeeded(address, user);
    else if (outcome.reason === "refused") deps.throttle.failed(address, user);
    const result = await admit(req, res, outcome, "password");
    if (result === "admitted") res.redirect(303, `${CONSOLE_BASE}/`);
    else {
      refuse(res, result);
      signInPage(req, res, result.status, [result.notice], sso, user);
    }
  });

  router.get("/sso", async (req, res) => {
    const { sso } = await deps.auth.loginFlows();
    if (!sso) {
      signInPage(req, res, 404, [{ kind: "erreur", text: "Le serveur de messagerie ne propose pas de connexion unique (SSO) : utilisez votre mot de passe." }], false);
      return;
    }
    const state = newToken();
    setCookie(res, SSO_STATE_COOKIE, state, { secure: secure(req), sameSite: "lax", maxAgeSeconds: SSO_STATE_SECONDS });
    const callback = `${consoleOrigin(req, deps.publicOrigin)}${SSO_RETURN_PATH}?etat=${encodeURIComponent(state)}`;
    res.redirect(303, deps.auth.ssoRedirectUrl(callback));
  });

  router.get("/sso/retour", async (req, res) => {
    const state = typeof req.query["etat"] === "string" ? req.query["etat"] : undefined;
    const loginToken = typeof req.query["loginToken"] === "string" ? req.query["loginToken"] : undefined;
    const expected = readCookie(req, SSO_STATE_COOKIE);
    clearCookie(res, SSO_STATE_COOKIE, secure(req));
    const { sso } = await deps.auth.loginFlows();
    if (!loginToken || !sameToken(state, expected)) {
      signInPage(req, res, 400, [{ kind: "erreur", text: "La connexion unique n'a pas abouti (lien expiré ou ouvert dans un autre navigateur) : recommencez." }], sso);
      return;
    }
    const result = await admit(req, res, await deps.auth.loginWithToken(loginToken), "sso");
    if (result !== "admitted") {
      signInPage(req, res, result.status, [result.notice], sso);
      return;
    }
    // A page of ours moves on: the Strict session cookie is not sent on a redirect that started on the homeserver's site.
    const next = `${CONSOLE_BASE}/`;
    res.status(200).type("html").send(
      page({
        title: "Connexion réussie",
        cptsName: deps.cptsName,
        head: html`<meta http-equiv="refresh" content="0;url=${next}">`,
        body: html`<p><a href="${next}">Ouvrir la console</a></p>`,
      }),
    );
  });

  router.post("/deconnexion", requireSession(deps), requireCsrf(deps.publicOrigin), (req, res) => {
    deps.sessions.close(readCookie(req, SESSION_COOKIE));
    clearCookie(res, SESSION_COOKIE, secure(req));
    deps.logger.info({ userId: sessionOf(res).userId }, "console sign-out");
    res.redirect(303, `${SIGN_IN_PATH}?au-revoir`);
  });

  return router;
}
