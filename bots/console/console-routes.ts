// The coordinators' web console, served by the annuaire bot at /console/ beside /healthz:
// sign-in with the coordinator's Matrix account, indicators, members, directory import, rota.
// It reads and acts only through what each module offers it (DirectoryCoordination,
// SnpCoordination, CareActivity), never their tables.
import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { CareActivity } from "../care/care-activity.ts";
import type { DirectoryCoordination } from "../directory/coordination.ts";
import type { SnpCoordination } from "../snp/read-model.ts";
import { CONSOLE_CSS, IMPORT_PROGRESS_JS } from "./assets.ts";
import type { ConsoleOptions } from "./console-options.ts";
import { matrixHomeserverAuth, type HomeserverAuth } from "./homeserver-auth.ts";
import { html } from "./html.ts";
import { ImportJobs } from "./import-jobs.ts";
import { importRoutes } from "./import-page.ts";
import { indicatorsRoutes } from "./indicators-page.ts";
import { CONSOLE_BASE, page } from "./layout.ts";
import { membersRoutes } from "./members-page.ts";
import { rotaRoutes } from "./rota-page.ts";
import { SessionStore } from "./sessions.ts";
import { requireSession, signInRoutes } from "./sign-in.ts";
import { SignInThrottle } from "./sign-in-throttle.ts";
import { securityHeaders } from "./web.ts";

export interface ConsoleSetup {
  readonly cptsName: string;
  readonly coordinators: readonly string[];
  readonly options: ConsoleOptions;
  /** How the bot reaches the homeserver's client-server API. */
  readonly homeserverUrl: () => string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly directory: DirectoryCoordination;
  readonly snp: SnpCoordination;
  readonly care: Pick<CareActivity, "countsBetween">;
  /** Replaces the homeserver for the sign-in (unit tests of the routes). */
  readonly auth?: HomeserverAuth;
}

export interface Console {
  /** Mount at the root: every path is under /console. */
  readonly router: Router;
  /** Waits for a directory import still running (the database must stay open until it ends). */
  stop(): Promise<void>;
}

const PROGRESS_EVERY_ROWS = 50_000;

export function createConsole(setup: ConsoleSetup): Console {
  const { clock, logger, options, directory, snp } = setup;
  const publicOrigin = options.publicOrigin;
  const sessions = new SessionStore(clock, { idleMs: options.sessionIdleMinutes * 60_000, maxAgeMs: options.sessionMaxHours * 3_600_000 });
  const auth = setup.auth ?? matrixHomeserverAuth(setup.homeserverUrl, options.homeserverPublicUrl);
  const queries = directory.members;
  const jobs = new ImportJobs((paths, onProgress, { force }) => directory.importExtract(paths, { progressEvery: PROGRESS_EVERY_ROWS, onProgress, force }), clock, logger);
  const common = { cptsName: setup.cptsName, publicOrigin, logger };

  const app = Router();
  app.use(securityHeaders);
  app.get("/style.css", (_req, res) => void res.type("text/css").set("Cache-Control", "max-age=3600").send(CONSOLE_CSS));
  app.get("/import.js", (_req, res) => void res.type("text/javascript").set("Cache-Control", "max-age=3600").send(IMPORT_PROGRESS_JS));
  app.use(express.urlencoded({ extended: false, limit: "32kb", parameterLimit: 20 }));
  const limits = options.signInLimits;
  const throttle = new SignInThrottle({ ...limits, windowMs: limits.windowMinutes * 60_000 }, clock);
  app.use(
    signInRoutes({
      ...common,
      coordinators: setup.coordinators,
      auth,
      sessions,
      sessionMaxAgeSeconds: options.sessionMaxHours * 3600,
      throttle,
      trustedProxies: options.trustedProxies,
    }),
  );
  app.use(requireSession({ sessions }));
  app.use(indicatorsRoutes({ ...common, clock, snp: snp.requests, members: queries, care: setup.care }));
  app.use(membersRoutes({ ...common, coordinators: setup.coordinators, queries, flow: directory.flow, isVerified: (userId) => directory.isVerified(userId) }));
  app.use(importRoutes({ ...common, history: directory.imports, jobs, maxFileBytes: options.importMaxMegabytes * 1024 * 1024 }));
  app.use(rotaRoutes({ ...common, clock, rota: snp.rota, people: snp.people, members: () => queries.members() }));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("html").send(page({ title: "Page introuvable", cptsName: setup.cptsName, body: html`<p><a href="${CONSOLE_BASE}/">Retour aux indicateurs</a></p>` }));
  });
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    logger.error({ path: req.path, method: req.method, err: err.message }, "console: request failed");
    if (res.headersSent) return;
    res.status(500).type("html").send(
      page({ title: "Erreur", cptsName: setup.cptsName, body: html`<p>La console a rencontré une erreur inattendue. Réessayez dans un instant ; si elle se reproduit, le détail est dans le journal de l'annuaire.</p><p><a href="${CONSOLE_BASE}/">Retour aux indicateurs</a></p>` }),
    );
  });

  const router = Router();
  router.use((req, res, next) => (req.path === CONSOLE_BASE ? res.redirect(308, `${CONSOLE_BASE}/`) : next()));
  router.use(CONSOLE_BASE, app);
  return { router, stop: () => jobs.stop() };
}
