// Writes client/workers/synapse-routes.caddy from synapse-config/workers/routes.yaml (run it
// after editing the table; test/compose-workers.test.ts fails while the file is stale).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadRoutes, renderCaddyRoutes } from "./lib/synapse-routes.ts";
import { REPO_ROOT } from "./lib/synapse-install.ts";

export const CADDY_ROUTES_FILE = join(REPO_ROOT, "client", "workers", "synapse-routes.caddy");

if (import.meta.main) {
  writeFileSync(CADDY_ROUTES_FILE, renderCaddyRoutes(loadRoutes()));
  console.log(`written ${CADDY_ROUTES_FILE}`);
}
