import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../core/clock.ts";
import type { GardePeople } from "./garde-people.ts";
import type { GardeRota } from "./garde-rota.ts";
import { GARDE_FALLBACK_MESSAGES as F } from "./messages.ts";
import { parisIso, type Shift } from "./shifts.ts";

/** The national number of the out-of-hours on-call doctor (permanence des soins ambulatoires), and the emergency number. */
export const FALLBACK_NUMBER = "116117";
export const EMERGENCY_NUMBER = "15";
/** A token shorter than this is a configuration mistake (a test value, a truncated file). */
export const MIN_TOKEN_LENGTH = 32;

export interface GardeHttpLogger {
  error(obj: object, msg: string): void;
}

export interface GardeHttpDeps {
  readonly rota: GardeRota;
  readonly people: GardePeople;
  readonly clock: Clock;
  /**
   * The content of the secret file: the bearer token the telephone system sends, one per line
   * (two lines while a token is being rotated: both are accepted).
   */
  readonly apiToken: string;
  readonly logger: GardeHttpLogger;
}

type FallbackReason = "nobody-on-duty" | "no-phone" | "unavailable";

export interface GardeNowBody {
  readonly at: string;
  readonly onDuty: readonly { userId: string; name: string; profession: string | null; phone: string | null; until: string }[];
  readonly next: { userId: string; name: string; profession: string | null; phone: string | null; from: string; until: string } | null;
  /** The number to dial: the phone of the first professional on duty who has one, else the fallback number. */
  readonly forwardTo: string;
  /** Present when no call can be forwarded to an on-duty professional: where to send it instead. */
  readonly fallback?: { readonly reason: FallbackReason; readonly number: string; readonly emergency: string; readonly message: string };
}

/**
 * `GET /garde/now` for the CPTS telephone line: who to forward a call to. Authenticated by
 * `Authorization: Bearer <token>`, compared in constant time (SHA-256 digests of equal
 * length, so neither the content nor the length leaks). The token is never logged.
 */
export function gardeRoutes(deps: GardeHttpDeps): Router {
  const expected = acceptedTokens(deps.apiToken).map(digest);
  const router = express.Router();

  router.get("/garde/now", (req, res) => {
    res.set("Cache-Control", "no-store");
    if (!authorized(req.get("authorization"), expected)) {
      res.set("WWW-Authenticate", 'Bearer realm="garde"').status(401).json({ error: "unauthorized" });
      return;
    }
    res.json(onDutyNow(deps));
  });

  // The phone line must still route the call when the database fails: a 500 that says where to.
  router.use("/garde", (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err }, "garde endpoint failed");
    res.set("Cache-Control", "no-store").status(500).json({ error: "internal", forwardTo: FALLBACK_NUMBER, fallback: fallback("unavailable") });
  });
  return router;
}

function onDutyNow(deps: GardeHttpDeps): GardeNowBody {
  const now = deps.clock.now();
  const onDuty = deps.rota.onDutyAt(now).map((shift) => ({ ...person(deps, shift), until: parisIso(shift.endsAt) }));
  const nextShift = deps.rota.nextAfter(now);
  const next = nextShift ? { ...person(deps, nextShift), from: parisIso(nextShift.startsAt), until: parisIso(nextShift.endsAt) } : null;
  const phone = onDuty.find((p) => p.phone !== null)?.phone;
  const body = { at: parisIso(now), onDuty, next, forwardTo: phone ?? FALLBACK_NUMBER };
  if (onDuty.length === 0) return { ...body, fallback: fallback("nobody-on-duty") };
  if (!phone) return { ...body, fallback: fallback("no-phone") };
  return body;
}

function person(deps: GardeHttpDeps, shift: Shift): { userId: string; name: string; profession: string | null; phone: string | null } {
  const { userId, name, profession, phone } = deps.people.describe(shift.userId);
  return { userId, name, profession, phone };
}

function fallback(reason: FallbackReason): NonNullable<GardeNowBody["fallback"]> {
  const message = reason === "nobody-on-duty" ? F.nobodyOnDuty : reason === "no-phone" ? F.noPhone : F.unavailable;
  return { reason, number: FALLBACK_NUMBER, emergency: EMERGENCY_NUMBER, message };
}

function acceptedTokens(fileContent: string): string[] {
  const tokens = fileContent.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  if (tokens.length === 0 || tokens.some((t) => t.length < MIN_TOKEN_LENGTH)) {
    throw new Error(`the garde API token file must hold one token per line, each at least ${MIN_TOKEN_LENGTH} characters (generate one with: openssl rand -hex 32)`);
  }
  return tokens;
}

/** Compares with every accepted token, without stopping at the first match. */
function authorized(header: string | undefined, expected: readonly Buffer[]): boolean {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? "");
  if (match === null) return false;
  const given = digest(match[1]!);
  return expected.reduce((found, token) => timingSafeEqual(given, token) || found, false);
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
