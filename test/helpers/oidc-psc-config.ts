// The Pro Santé Connect `oidc_providers` entry exactly as production gets it: the production
// template (synapse-config/homeserver.production.yaml) rendered by render_config.py, the
// container's own renderer, with PSC's URLs pointing at a local provider. Only the URLs,
// the client ID and the secret file differ from a real deployment.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { REPO_ROOT, SYNAPSE_PYTHON } from "../../scripts/lib/synapse-install.ts";

const RENDERER = join(REPO_ROOT, "synapse-config", "render_config.py");

export interface PscSettings {
  /** PSC_AUTH_BASE_URL and PSC_WALLET_BASE_URL of the template. */
  readonly authBaseUrl: string;
  readonly walletBaseUrl: string;
  readonly clientId: string;
  readonly clientSecretFile: string;
}

export async function renderProductionPscProviders(settings: PscSettings): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(join(tmpdir(), "cpts-psc-render-"));
  try {
    const output = join(dir, "homeserver.yaml");
    // A clean environment: what docker-compose.yml would pass, plus the PSC settings. The
    // other keys of the template need values to render; only `oidc_providers` is kept.
    const env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      SYNAPSE_SERVER_NAME: "cpts.test",
      SYNAPSE_PUBLIC_BASEURL: "https://matrix.cpts.test/",
      SYNAPSE_DB_PASSWORD: "unused",
      PSC_ENABLED: "true",
      PSC_CLIENT_ID: settings.clientId,
      PSC_CLIENT_SECRET_PATH: settings.clientSecretFile,
      PSC_AUTH_BASE_URL: settings.authBaseUrl,
      PSC_WALLET_BASE_URL: settings.walletBaseUrl,
    };
    await promisify(execFile)(SYNAPSE_PYTHON, [RENDERER, "--output", output], { env });
    const rendered = parse(await readFile(output, "utf8")) as { oidc_providers?: Record<string, unknown>[] };
    if (!rendered.oidc_providers?.length) throw new Error("the production template rendered no oidc_providers with PSC_ENABLED=true");
    return rendered.oidc_providers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
