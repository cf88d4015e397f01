import { defineConfig } from "vitest/config";

// Two projects, told apart by the file name:
//   unit — every `*.test.ts` that is not `*.e2e.test.ts`: no Synapse, no server process,
//          threads without per-file isolation, so the whole project runs in seconds;
//   e2e  — `*.e2e.test.ts`: one real Synapse for the run (test/global-setup.ts), bots and
//          clients as real processes, each file in its own fork.
// `npm test` runs both, `npm run test:unit` only the first.
const SOURCE_FOLDERS = ["test", "bots", "bridges", "client", "scripts"];
const E2E_TESTS = "**/*.e2e.test.ts";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: SOURCE_FOLDERS.map((folder) => `${folder}/**/*.test.ts`),
          exclude: [E2E_TESTS],
          pool: "threads",
          isolate: false,
          // vitest's default is one worker fewer than the cores (one, on two cores).
          maxWorkers: "100%",
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: SOURCE_FOLDERS.map((folder) => `${folder}/**/*.e2e.test.ts`),
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: "forks",
        },
      },
    ],
  },
});
