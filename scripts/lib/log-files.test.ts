import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../bots/core/logger.ts";
import { logFormat, rotatedLogFile } from "./log-files.ts";

describe("npm start's logs", () => {
  it("are human lines on the terminal unless CPTS_LOG_FORMAT=json, and a wrong value says so in French", () => {
    expect(logFormat({})).toBe("human");
    expect(logFormat({ CPTS_LOG_FORMAT: "json" })).toBe("json");
    expect(() => logFormat({ CPTS_LOG_FORMAT: "xml" })).toThrow("CPTS_LOG_FORMAT doit valoir « human » ou « json » (reçu « xml »)");
  });

  it("go as JSON lines to a file under the logs folder, with the usual redaction", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cpts-logs-"));
    const stream = rotatedLogFile(dir, "start");
    const logger = createLogger("start", "info", stream);
    logger.info({ password: "secret-du-test" }, "homeserver ready");
    logger.flush();
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    const line = JSON.parse(readFileSync(join(dir, "start.log"), "utf8").trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ service: "start", msg: "homeserver ready", password: "[redacted]" });
  });
});
