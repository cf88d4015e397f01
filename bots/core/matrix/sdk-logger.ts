import { logger as globalSdkLogger, type Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "../logger.ts";

// Logged by the SDK at every start on a server without the newest push rules: not actionable.
const ROUTINE_SDK_WARNINGS = [/^Adding default global (override|underride) push rule/];

/**
 * Routes matrix-js-sdk's own logging into our structured log, at warn and above only:
 * its debug output is voluminous and may quote event contents.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const child = logger.child({ component: "matrix-js-sdk" });
  const text = (args: unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
  const noop = (): void => {};
  const warn = (...args: unknown[]): void => {
    const message = text(args);
    if (!ROUTINE_SDK_WARNINGS.some((pattern) => pattern.test(message))) child.warn(message);
  };
  const sdk: SdkLogger = {
    trace: noop,
    debug: noop,
    info: noop,
    warn,
    error: (...args: unknown[]) => child.error(text(args)),
    getChild: () => sdk,
  };
  return sdk;
}

interface LoglevelLogger {
  methodFactory: (method: string, level: number, name: string | symbol) => (...msg: unknown[]) => void;
  rebuild(): void;
}

let globalQuieted = false;

/**
 * Some SDK parts (the IndexedDB store, MatrixRTC) log through the SDK's global loglevel
 * logger, whose children force their own level when created: wrapping the root's method
 * factory is what silences them all below warn.
 */
export function quietSdkGlobalLogger(): void {
  if (globalQuieted) return;
  globalQuieted = true;
  const root = globalSdkLogger as unknown as LoglevelLogger;
  const original = root.methodFactory;
  root.methodFactory = (method, level, name) => (method === "warn" || method === "error" ? original(method, level, name) : () => {});
  root.rebuild();
}
