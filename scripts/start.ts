// `npm start`: the whole system on embedded defaults — a local Synapse (SQLite, 127.0.0.1),
// the bots, and a seeded demo CPTS. Ctrl-C stops everything.
// Overrides: CPTS_DATA_DIR (default ./data), CPTS_SYNAPSE_PORT (8008), CPTS_BOTS_HTTP_PORT
// (9101: the first bot's /healthz and /metrics, the next bots take the following ports).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "../bots/core/logger.ts";
import { writePidFile } from "../bots/core/pid-file.ts";
import { Supervisor } from "../bots/core/supervisor.ts";
import { seedDemo, type DemoDescription } from "./demo/seed.ts";
import { startDemoMail } from "./lib/demo-mail.ts";
import { assertPortFree } from "./lib/free-port.ts";
import { ensureSynapseInstalled, startSynapse } from "./lib/synapse.ts";
import { waitForBotsReady } from "./lib/wait-ready.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data");
const logger = createLogger("start");

async function main(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const removePid = writePidFile(join(DATA_DIR, "start.pid"));
  const port = Number(process.env["CPTS_SYNAPSE_PORT"] ?? 8008);
  await assertPortFree(port).catch((err: Error) => {
    throw new Error(`${err.message}. Stop what uses it, or choose another port: CPTS_SYNAPSE_PORT=8448 npm start`);
  });
  await ensureSynapseInstalled();
  console.log("Starting the homeserver (the first start also prepares its database)…");
  const synapse = await startSynapse({ mode: "local", dataDir: join(DATA_DIR, "synapse"), port });
  const botsHttpBasePort = Number(process.env["CPTS_BOTS_HTTP_PORT"] ?? 9101);
  const demoMail = await startDemoMail(DATA_DIR);
  const { demo, botsConfigFile, botsConfig } = await seedDemo(synapse, DATA_DIR, botsHttpBasePort, demoMail.seed).catch(async (err: unknown) => {
    await demoMail.stop();
    throw err;
  });

  const botEntry = join(ROOT, "bots", "main.ts");
  const supervisors = Object.keys(botsConfig.bots).map(
    (botId) =>
      new Supervisor(
        { name: `bot-${botId}`, command: process.execPath, args: [botEntry, botId], env: { ...process.env, CPTS_BOTS_CONFIG: botsConfigFile } },
        logger,
      ),
  );
  for (const supervisor of supervisors) supervisor.start();

  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => {});
    stopping = true;
    console.log("\nStopping the bots and the homeserver…");
    await Promise.all(supervisors.map((s) => s.stop()));
    await synapse.stop();
    await demoMail.stop();
    removePid();
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  synapse.exited.then(() => {
    if (!stopping) {
      logger.error("the homeserver stopped unexpectedly; see data/synapse/synapse.log");
      void stopAll(1);
    }
  });

  await waitForBotsReady(Object.values(botsConfig.bots).map((bot) => bot.http.port), 120_000);
  printWelcome(demo, demoMail.welcome());
}

function printWelcome(demo: DemoDescription, mailLines: readonly string[]): void {
  const lines = [
    "",
    "CPTS messaging is running locally.",
    `  Homeserver: ${demo.homeserver}   (server name ${demo.serverName})`,
    "  Connect with any Element client (web, desktop, or Element X) using that homeserver URL.",
    "",
    "  Demo accounts:",
    ...demo.accounts.map((a) => `    ${a.userId.padEnd(34)} password ${a.password.padEnd(14)} ${a.role}, ${a.profession}`),
    "",
    "  Bots:",
    ...Object.entries(demo.bots).map(([role, userId]) => `    ${role.padEnd(10)} ${userId}   (start a direct chat with it and type !aide)`),
    "",
    "  The demo professionals are verified members: they are invited to the CPTS Space and rooms,",
    "  and can search the directory (!annuaire kiné Douai) and complete their card (!profil).",
    "  Unscheduled care: the coordinator is the demo's regulator; in the « Régulation SNP » room,",
    "  or any professional in a direct chat with the snp bot, type !snp (guided) or",
    '  !snp IDE Douai 6h domicile "pansement" 70+ sans-MT; the demo professionals are in the SNP pool.',
    "  Patient care teams: in a direct chat with the equipes bot, !patient opens an encrypted case room",
    "  (!inviter kiné Douai, !adresser, !alerte, !clore); !avis cardiologue <question> asks for an expert opinion.",
    ...mailLines,
    "",
    "  The same details are in data/demo.json. Stop everything with Ctrl-C.",
    "",
  ];
  console.log(lines.join("\n"));
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
