import { describe, expect, it } from "vitest";
import { CONFIG_ERROR_EXIT_CODE } from "./config.ts";
import { createLogger } from "./logger.ts";
import { Supervisor } from "./supervisor.ts";

const logger = createLogger("supervisor-test", "silent");
const exitingWith = (code: number) => ({ command: process.execPath, args: ["-e", `process.exit(${code})`] });

describe("Supervisor", () => {
  it("does not restart a child that exits on a configuration error, and says so once", async () => {
    const gaveUp: number[] = [];
    const restarts: (number | null)[] = [];
    const supervisor = new Supervisor(
      {
        name: "bot-config",
        ...exitingWith(CONFIG_ERROR_EXIT_CODE),
        stopOnExitCodes: [CONFIG_ERROR_EXIT_CODE],
        onGiveUp: (code) => gaveUp.push(code),
        onUnexpectedExit: (code) => restarts.push(code),
      },
      logger,
    );
    supervisor.start();
    await expect.poll(() => gaveUp, { timeout: 10_000 }).toEqual([CONFIG_ERROR_EXIT_CODE]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(restarts).toEqual([]);
    expect(supervisor.restarts).toBe(0);
    expect(supervisor.pid).toBeUndefined();
  });

  it("still restarts a child that died of anything else", async () => {
    const restarts: (number | null)[] = [];
    const gaveUp: number[] = [];
    const supervisor = new Supervisor(
      { name: "bot-crash", ...exitingWith(1), stopOnExitCodes: [CONFIG_ERROR_EXIT_CODE], onGiveUp: (code) => gaveUp.push(code), onUnexpectedExit: (code) => restarts.push(code) },
      logger,
    );
    supervisor.start();
    await expect.poll(() => supervisor.restarts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await supervisor.stop();
    expect(restarts[0]).toBe(1);
    expect(gaveUp).toEqual([]);
  });
});
