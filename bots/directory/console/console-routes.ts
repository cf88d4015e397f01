// The coordinators' web console, served by the annuaire bot at /console/ beside /healthz:
// sign-in with the coordinator's Matrix account, indicators, members, directory import, rota.
import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { Logger } from "../../core/logger.ts";
import { DirectoryGardePeople } from "../../snp/garde/garde-people.ts";
import { GardeRota } from "../../snp/garde/garde-rota.ts";
import { SnpStore } from "../../snp/store/snp-store.ts";
import type { GuardSettings } from "../import/guard.ts";
import { importDirectory } from "../import/import-directory.ts";
import type { Membership } from "../membership.ts";
import type { MembershipFlow } from "../membership-flow.ts";
import { warmSearchCache } from "../search/rank.ts";
import { SqliteDirectory } from "../sqlite-directory.ts";
import type { Territory } from "../territory.ts";
import { CONSOLE_CSS, IMPORT_PROGRESS_JS } from "./assets.ts";
import { CareActivity } from "./care-activity.ts";
import type { ConsoleOptions } from "./console-options.ts";
import { matrixHomeserverAuth, type HomeserverAuth } from "./homeserver-auth.ts";
import { html } from "./html.ts";
import { ImportJobs } from "./import-jobs.ts";
import { importRoutes } from "./import-page.ts";
import { indicatorsRoutes } from "./indicators-page.ts";
import { CONSOLE_BASE, page } from "./layout.ts";
import { MemberQueries } from "./member-queries.ts";
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
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly membership: Membership;
  readonly flow: Pick<MembershipFlow, "decideRequest" | "deactivate">;
  readonly territory: Territory;
  readonly importGuard: GuardSettings;
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
  const { db, clock, logger, options } = setup;
  const publicOrigin = options.publicOrigin;
  const sessions = new SessionStore(clock, { idleMs: options.sessionIdleMinutes * 60_000, maxAgeMs: options.sessionMaxHours * 3_600_000 });
  const auth = setup.auth ?? matrixHomeserverAuth(setup.homeserverUrl, options.homeserverPublicUrl);
  const queries = new MemberQueries(db, setup.membership);
  const jobs = new ImportJobs(
    async (paths, onProgress, { force }) => {
      const report = await importDirectory(db, paths, setup.territory, { progressEvery: PROGRESS_EVERY_ROWS, onProgress, guard: setup.importGuard, force });
      warmSearchCache(db);
      return report;
    },
    clock,
    logger,
  );
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
  app.use(indicatorsRoutes({ ...common, clock, snp: new SnpStore(db, clock), members: queries, care: new CareActivity(db) }));
  app.use(membersRoutes({ ...common, coordinators: setup.coordinators, queries, flow: setup.flow, isVerified: (userId) => setup.membership.isVerified(userId) }));
  app.use(importRoutes({ ...common, db, jobs, maxFileBytes: options.importMaxMegabytes * 1024 * 1024 }));
  app.use(rotaRoutes({ ...common, clock, rota: new GardeRota(db, clock), people: new DirectoryGardePeople(new SqliteDirectory(db, clock, setup.territory)), members: () => queries.members() }));
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
