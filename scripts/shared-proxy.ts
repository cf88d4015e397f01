// Writes the shared edge proxy's HAProxy configuration for several CPTS on one host
// (docs/deploy.md, "Plusieurs CPTS sur un hôte"):
//   node scripts/shared-proxy.ts config/shared-proxy/stacks.yaml config/shared-proxy/haproxy.cfg
import { writeFileSync } from "node:fs";
import { loadStacks, renderHaproxyConfig } from "./lib/shared-proxy.ts";

const [stacksFile, output] = process.argv.slice(2);
if (!stacksFile || !output) {
  console.error("usage: node scripts/shared-proxy.ts <stacks.yaml> <haproxy.cfg>");
  process.exit(2);
}
try {
  writeFileSync(output, renderHaproxyConfig(loadStacks(stacksFile)));
  console.log(`written ${output}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
