import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { parseBotOptions } from "../../bots/core/bot-runtime.ts";
import { MssanteOptionsSchema } from "./options.ts";

const example = parseYaml(readFileSync(new URL("../../bots/config.example.yaml", import.meta.url), "utf8")) as { bots: { mssante: { options: unknown } } };

describe("MSSanté bridge options", () => {
  it("accepts the documented example, with its defaults", () => {
    const options = parseBotOptions(MssanteOptionsSchema, example.bots.mssante.options, "mssante", "/etc/cpts");
    expect(options.mailboxes[0]).toMatchObject({ address: "cpts@cpts-grand-douai.mssante.fr", auth: { method: "certificate" }, processedFolder: "Processed" });
    expect(options.draftWaitSeconds).toBe(600);
  });

  it("names the bad key", () => {
    const raw = structuredClone(example.bots.mssante.options) as { mailboxes: { auth: Record<string, unknown> }[] };
    raw.mailboxes[0]!.auth = { method: "password", password: "x" };
    expect(() => parseBotOptions(MssanteOptionsSchema, raw, "mssante", "/etc/cpts")).toThrow(/bots\.mssante\.options\.mailboxes\.0\.auth/);
    expect(() => parseBotOptions(MssanteOptionsSchema, { ...(raw as object), mailboxes: [] }, "mssante", "/etc/cpts")).toThrow(/mailboxes/);
  });
});
