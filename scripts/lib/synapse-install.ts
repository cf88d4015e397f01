// Where the project-local Synapse lives, and how to make sure it is there.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const VENV_DIR = join(REPO_ROOT, ".venv-synapse");
export const SYNAPSE_PYTHON = join(VENV_DIR, "bin", "python");

export function runCommand(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? code}):\n${output.slice(-4000)}`));
    });
  });
}

export async function ensureSynapseInstalled(): Promise<void> {
  await runCommand("bash", [join(REPO_ROOT, "scripts", "install-synapse.sh")]);
}

// Read from the installed distribution's metadata: no Python start-up needed.
export function installedSynapseVersion(): string {
  for (const lib of readdirSync(join(VENV_DIR, "lib"))) {
    const sitePackages = join(VENV_DIR, "lib", lib, "site-packages");
    let entries: string[];
    try {
      entries = readdirSync(sitePackages);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const match = /^matrix_synapse-(.+)\.dist-info$/.exec(entry);
      if (match?.[1]) return match[1];
    }
  }
  throw new Error(`Synapse is not installed in ${VENV_DIR}; run scripts/install-synapse.sh`);
}
