// How many wrong passwords the console lets through, counted in the console itself: per
// client address and per account, over a sliding window. The console signs in to Synapse
// from one address for every coordinator, so Synapse's own per-address limit cannot tell
// coordinators apart; it is told the client's address instead (homeserver-auth.ts).
import { isIP } from "node:net";
import type { Clock } from "../core/clock.ts";

export interface ThrottleLimits {
  /** Failed sign-ins allowed from one client address within the window. */
  readonly failuresPerAddress: number;
  /** Failed sign-ins allowed for one account (from any address) within the window. */
  readonly failuresPerAccount: number;
  readonly windowMs: number;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly by: "address" | "account" };

const PRUNE_ABOVE_KEYS = 10_000;

/** Failure times per key, forgotten once older than the window. */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly limits: ThrottleLimits;
  private readonly clock: Clock;

  constructor(limits: ThrottleLimits, clock: Clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Asked before trying the password: may this address try this account now? */
  check(address: string, account: string): ThrottleVerdict {
    const byAddress = this.wait(`address:${address}`, this.limits.failuresPerAddress);
    const byAccount = this.wait(`account:${account.toLowerCase()}`, this.limits.failuresPerAccount);
    if (byAddress === 0 && byAccount === 0) return { allowed: true };
    return byAddress >= byAccount ? { allowed: false, retryAfterMs: byAddress, by: "address" } : { allowed: false, retryAfterMs: byAccount, by: "account" };
  }

  failed(address: string, account: string): void {
    // Keys never asked about again (an address that went away) must not pile up.
    if (this.failures.size > PRUNE_ABOVE_KEYS) for (const key of [...this.failures.keys()]) this.recent(key);
    const now = this.clock.now();
    for (const key of [`address:${address}`, `account:${account.toLowerCase()}`]) this.failures.set(key, [...this.recent(key), now]);
  }

  /** A right password clears that account's and that address's failures. */
  succeeded(address: string, account: string): void {
    this.failures.delete(`address:${address}`);
    this.failures.delete(`account:${account.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** 0 when below the limit, else how long until the oldest counted failure leaves the window. */
  private wait(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit]! + this.limits.windowMs - this.clock.now();
  }
}

/**
 * The browser's address: the peer's, unless the peer is one of the trusted reverse proxies;
 * then the address that proxy appended to X-Forwarded-For (the last entry: the ones before
 * it were written by the client and prove nothing).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  const direct = normalise(peer ?? "");
  if (!trustedProxies.map(normalise).includes(direct) || !forwardedFor) return direct;
  const last = forwardedFor.split(",").map((part) => part.trim()).filter(Boolean).at(-1) ?? "";
  return isIP(normalise(last)) ? normalise(last) : direct;
}

/** "::ffff:10.0.0.2" (an IPv4 peer on a dual-stack socket) is 10.0.0.2. */
function normalise(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** "3 minutes", "1 minute", "45 secondes": the wait, rounded up, in the sign-in message. */
export function frenchWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? "s" : ""}`;
}
