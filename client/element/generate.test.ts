// The generator as the deploy guide runs it: a child process reading .env.example.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { elementConfig } from "./config-source.ts";
import { exampleBranding, REPO_ROOT } from "./example-env.ts";
import { clientWellKnown, serverWellKnown } from "./well-known.ts";

const GENERATE = fileURLToPath(new URL("generate.ts", import.meta.url));
const ROOT = fileURLToPath(REPO_ROOT);
const work = mkdtempSync(join(tmpdir(), "cpts-client-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the generator with only PATH from this environment, so the test does not depend on the caller's. */
function generate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [GENERATE, ...args], { cwd: ROOT, env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe("npm run client:config", () => {
  const out = join(work, "client");

  it("writes Element's config, the well-known files, the onboarding page and the logo", () => {
    const run = generate(["--out", out, "--settings", ".env.example"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(filesUnder(out)).toEqual([
      "element/config.json",
      "www/.well-known/matrix/client",
      "www/.well-known/matrix/server",
      "www/bienvenue/index.html",
      "www/bienvenue/style.css",
      "www/branding/logo.svg",
    ]);
    const read = (path: string): unknown => JSON.parse(readFileSync(join(out, path), "utf8"));
    const branding = exampleBranding();
    expect(read("element/config.json")).toEqual(elementConfig(branding));
    expect(read("www/.well-known/matrix/client")).toEqual(clientWellKnown(branding));
    expect(read("www/.well-known/matrix/server")).toEqual(serverWellKnown(branding));
    expect(readFileSync(join(out, "www/bienvenue/index.html"), "utf8")).toContain("https://element.cpts-exemple.fr/");
    expect(readFileSync(join(out, "www/branding/logo.svg"))).toEqual(readFileSync(branding.logoFile));
    expect(run.stdout).toMatch(/calls are off: set CPTS_CALL_LIVEKIT_URL/);
  });

  it("lets the environment override the env file, as docker compose does", () => {
    const run = generate(["--out", out, "--settings", ".env.example"], { CPTS_NAME: "CPTS Grand Douai" });
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "element/config.json"), "utf8"))["brand"]).toBe("CPTS Grand Douai");
  });

  it("rewrites config.json in place, so Docker's single-file bind mount sees the new one", () => {
    const config = join(out, "element/config.json");
    writeFileSync(config, "{}");
    const inode = statSync(config).ino;
    expect(generate(["--out", out, "--settings", ".env.example"]).status).toBe(0);
    expect(statSync(config).ino).toBe(inode);
    expect(readFileSync(config, "utf8")).toContain('"brand"');
  });

  it("refuses bad settings with the variable's name, and writes nothing", () => {
    const untouched = join(work, "refused");
    const run = generate(["--out", untouched, "--settings", ".env.example"], { SYNAPSE_PUBLIC_BASEURL: "http://matrix.cpts-exemple.fr/" });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("invalid client settings:\n  - SYNAPSE_PUBLIC_BASEURL: the homeserver's https:// URL without a path, like https://matrix.cpts-exemple.fr/\n");
    expect(() => readdirSync(untouched)).toThrow(/ENOENT/);
  });

  it("names the variables that are missing when there is no env file", () => {
    const run = generate(["--out", join(work, "refused")]);
    expect(run.status).toBe(1);
    for (const name of ["CPTS_NAME", "SYNAPSE_SERVER_NAME", "SYNAPSE_PUBLIC_BASEURL", "MATRIX_HOST", "ELEMENT_HOST", "CPTS_PRIVACY_URL"]) {
      expect(run.stderr).toContain(`  - ${name}: missing`);
    }
  });

  it("names CPTS_LOGO_FILE when the logo cannot be read or is not the image it claims", () => {
    const missing = generate(["--out", join(work, "refused"), "--settings", ".env.example"], { CPTS_LOGO_FILE: "client/branding/absent.svg" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/CPTS_LOGO_FILE: cannot read .*client\/branding\/absent\.svg \(ENOENT\)/);
    const notPng = generate(["--out", join(work, "refused"), "--settings", ".env.example"], { CPTS_LOGO_FILE: "client/branding/logo.svg.png" });
    expect(notPng.stderr).toMatch(/CPTS_LOGO_FILE: cannot read/);
    const fakePng = join(work, "fake.png");
    writeFileSync(fakePng, "<svg></svg>");
    const wrongFormat = generate(["--out", join(work, "refused"), "--settings", ".env.example"], { CPTS_LOGO_FILE: fakePng });
    expect(wrongFormat.status).toBe(1);
    expect(wrongFormat.stderr).toMatch(/CPTS_LOGO_FILE: .*fake\.png is not a \.png image/);
  });

  it("explains its usage when the arguments are wrong", () => {
    expect(generate([])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--out is required\nusage: npm run client:config/) });
    expect(generate(["--out", out, "--config", "x"])).toMatchObject({ status: 2, stderr: expect.stringMatching(/Unknown option '--config'/) });
    expect(generate(["--out", out, "--settings", "absent.env"])).toMatchObject({ status: 1, stderr: expect.stringMatching(/cannot read .*absent\.env: ENOENT/) });
  });
});
