// Sessions of the coordinators' console. They live in memory on purpose: a restart of the
// bot signs everyone out, and a session ended here (sign-out, expiry) cannot come back, which
// a stateless signed cookie could not promise. The Matrix session used to check the password
// is logged out at once (see homeserver-auth.ts): the console holds no Matrix token.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.ts";

export interface ConsoleSession {
  readonly userId: string;
  /** Sent back with every form (hidden field `_csrf`): a page of another site cannot know it. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  /** Signed out after this long without a request. */
  readonly idleMs: number;
  /** Signed out this long after signing in, whatever the activity. */
  readonly maxAgeMs: number;
}

/** Random, URL-safe, 256 bits. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Constant-time comparison of two tokens (hashing first makes the lengths equal). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a === "" || b === "") return false;
  return timingSafeEqual(digest(a), digest(b));
}

/** Only the SHA-256 of each session id is kept: a memory dump shows no usable cookie. */
export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly clock: Clock;
  private readonly limits: SessionLimits;

  constructor(clock: Clock, limits: SessionLimits) {
    this.clock = clock;
    this.limits = limits;
  }

  /** Opens a session; the returned id goes into the cookie and nowhere else. */
  open(userId: string): { id: string; session: ConsoleSession } {
    this.sweep();
    const id = newToken();
    const now = this.clock.now();
    const session: ConsoleSession = { userId, csrfToken: newToken(), createdAt: now, lastSeenAt: now };
    this.sessions.set(key(id), session);
    return { id, session };
  }

  /** The live session behind a cookie value, its idle timer renewed; undefined when unknown or expired. */
  touch(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const k = key(id);
    const session = this.sessions.get(k);
    if (!session) return undefined;
    const now = this.clock.now();
    if (this.expired(session, now)) {
      this.sessions.delete(k);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(key(id));
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: ConsoleSession, now: number): boolean {
    return now - session.lastSeenAt >= this.limits.idleMs || now - session.createdAt >= this.limits.maxAgeMs;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [k, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(k);
  }
}

function key(id: string): string {
  return digest(id).toString("base64url");
}
