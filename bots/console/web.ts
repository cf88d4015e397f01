// HTTP plumbing of the console: cookies, security headers, where a form may come from.
import { parseCookie, stringifySetCookie } from "cookie";
import type { NextFunction, Request, Response } from "express";
import { CONSOLE_BASE } from "./layout.ts";

export const SESSION_COOKIE = "cpts_console";
/** Anti-forgery token of the sign-in form (before any session exists): double submit, cookie and hidden field. */
export const SIGN_IN_COOKIE = "cpts_console_connexion";
/** Ties the SSO return to the browser that left for it. */
export const SSO_STATE_COOKIE = "cpts_console_sso";

/** Whether the browser reached us over https: the configured public origin, or the proxy's word for it. */
export function overHttps(req: Request, publicOrigin: string | undefined): boolean {
  if (publicOrigin !== undefined) return publicOrigin.startsWith("https:");
  return req.secure || req.get("x-forwarded-proto") === "https";
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get("cookie");
  return header ? parseCookie(header)[name] : undefined;
}

export interface CookieSettings {
  readonly secure: boolean;
  /** Strict for the session; Lax for the SSO state, which must come back on the homeserver's redirect. */
  readonly sameSite: "strict" | "lax";
  readonly maxAgeSeconds?: number;
}

export function setCookie(res: Response, name: string, value: string, settings: CookieSettings): void {
  res.append(
    "Set-Cookie",
    stringifySetCookie({
      name,
      value,
      path: CONSOLE_BASE,
      httpOnly: true,
      secure: settings.secure,
      sameSite: settings.sameSite,
      ...(settings.maxAgeSeconds !== undefined ? { maxAge: settings.maxAgeSeconds } : {}),
    }),
  );
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  setCookie(res, name, "", { secure, sameSite: "strict", maxAgeSeconds: 0 });
}

/** Nothing is loaded from elsewhere, nothing frames the console, nothing is cached or sent as referrer. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  next();
}

/**
 * A form post must come from a console page: browsers say where a request comes from
 * (Sec-Fetch-Site, Origin); a post another site makes is refused even before its token is read.
 */
export function fromSameOrigin(req: Request, publicOrigin: string | undefined): boolean {
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return false;
  const origin = req.get("origin");
  if (origin === undefined || origin === "null") return site === "same-origin" || origin === undefined;
  if (publicOrigin !== undefined && origin === publicOrigin) return true;
  try {
    return new URL(origin).host === req.get("host");
  } catch {
    return false;
  }
}

/** The address the console is reached at, as the browser sees it (for the SSO return). */
export function consoleOrigin(req: Request, publicOrigin: string | undefined): string {
  return publicOrigin ?? `${overHttps(req, undefined) ? "https" : "http"}://${req.get("host") ?? "localhost"}`;
}
