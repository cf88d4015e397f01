// The bots the policy module lets anyone invite are exactly the bots that run: in the demo
// (synapse-config/local.yaml against scripts/demo/demo-cpts.ts) and in production
// (docker-compose.yml's CPTS_POLICY_BOTS against bots/config.example.yaml).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadBotsConfig } from "../../bots/core/config.ts";
import { DEMO_MAIL_BRIDGE_LOCALPART } from "../lib/demo-mail.ts";
import { DEMO_BOTS } from "./demo-cpts.ts";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("the policy module's bots", () => {
  it("are the demo's bots in local.yaml, the MSSanté bridge included", () => {
    const local = parse(read("synapse-config/local.yaml")) as { modules: { module: string; config: { bots: string[] } }[] };
    const policy = local.modules.find((m) => m.module === "cpts_policy.CptsPolicy")!;
    expect([...policy.config.bots].sort()).toEqual([...Object.values(DEMO_BOTS).map((b) => b.localpart), DEMO_MAIL_BRIDGE_LOCALPART].sort());
  });

  it("are the documented production bots in docker-compose.yml", () => {
    const compose = parse(read("docker-compose.yml")) as { services: { synapse: { environment: Record<string, string> } } };
    const listed = compose.services.synapse.environment["CPTS_POLICY_BOTS"]!.split(",").map((s) => s.trim());
    const example = loadBotsConfig(fileURLToPath(new URL("../../bots/config.example.yaml", import.meta.url)));
    const localparts = Object.values(example.bots).map((b) => b.userId.slice(1).split(":")[0]);
    expect(listed.sort()).toEqual(localparts.sort());
  });
});
