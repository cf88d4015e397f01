// `npm start`: the whole system on embedded defaults — a local Synapse (SQLite, 127.0.0.1),
// the bots, and a seeded demo CPTS. Ctrl-C stops everything.
// Overrides: CPTS_DATA_DIR (default ./data), CPTS_SYNAPSE_PORT (8008), CPTS_BOTS_HTTP_PORT
// (9101: the first bot's /healthz and /metrics, the next bots take the following ports),
// CPTS_LIVEKIT_PORT (7880, and the next port for media), CPTS_RTC_AUTH_PORT (8090: the call
// authorisation service).
// Settings of your own (e.g. a shorter SNP cascade for training): data/overrides.yaml, merged
// into the generated data/bots.yaml at every start (see scripts/lib/config-overrides.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "../bots/core/logger.ts";
import { writePidFile } from "../bots/core/pid-file.ts";
import { Supervisor } from "../bots/core/supervisor.ts";
import { seedDemo, type DemoDescription } from "./demo/seed.ts";
import { trustBotsAs } from "./demo/demo-trust.ts";
import { callStackAvailable, rtcAuthUrlOf, startCallStack, type RunningCallStack } from "./lib/call-stack.ts";
import { applyConfigOverrides, OVERRIDES_FILE } from "./lib/config-overrides.ts";
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
  const withCalls = await callStackAvailable();
  const rtcAuthPort = Number(process.env["CPTS_RTC_AUTH_PORT"] ?? 8090);
  console.log("Starting the homeserver (the first start also prepares its database)…");
  const synapse = await startSynapse({
    mode: "local",
    dataDir: join(DATA_DIR, "synapse"),
    port,
    ...(withCalls ? { matrixRtcServiceUrl: rtcAuthUrlOf(rtcAuthPort) } : {}),
  });
  const botsHttpBasePort = Number(process.env["CPTS_BOTS_HTTP_PORT"] ?? 9101);
  const seeded = await seedDemo(synapse, DATA_DIR, botsHttpBasePort);
  const { demo, botsConfigFile, calls } = seeded;
  const { config: botsConfig, overridden } = applyConfigOverrides(botsConfigFile, join(DATA_DIR, OVERRIDES_FILE), seeded.botsConfig);
  if (overridden) console.log(`Settings of ${join(DATA_DIR, OVERRIDES_FILE)} applied.`);
  let callStack: RunningCallStack | undefined;
  if (withCalls) {
    callStack = await startCallStack(
      {
        dataDir: DATA_DIR,
        serverName: synapse.serverName,
        homeserverUrl: synapse.baseUrl,
        liveKitPort: Number(process.env["CPTS_LIVEKIT_PORT"] ?? 7880),
        rtcAuthPort,
        ...calls,
      },
      logger,
    );
  }

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
    await Promise.all([...supervisors.map((s) => s.stop()), callStack?.stop()]);
    await synapse.stop();
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
  // The bots now have their identities: the demo members verify them once, as a member would.
  for (const account of demo.accounts) await trustBotsAs(demo.homeserver, account, Object.values(demo.bots));
  printWelcome(demo, callStack ? rtcAuthUrlOf(rtcAuthPort) : undefined);
}

function printWelcome(demo: DemoDescription, callService: string | undefined): void {
  const lines = [
    "",
    "CPTS messaging is running locally.",
    `  Homeserver: ${demo.homeserver}   (server name ${demo.serverName})`,
    "  Connect with any Element client (web, desktop, or Element X) using that homeserver URL.",
    "",
    "  Demo accounts:",
    ...demo.accounts.map((a) => `    ${a.userId.padEnd(34)} password ${a.password.padEnd(14)} ${a.role}, ${a.profession}`),
    "  At the first sign-in, Element asks you to confirm your identity: choose the recovery key and",
    "  paste the account's « recoveryKey » from data/demo.json. The bots then show as verified.",
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
    "",
    ...(callService
      ? [
          `  Video calls (RCP, téléconsultation): LiveKit and the call authorisation service (${callService}) run here.`,
          "  In a case room, Element Web: the camera button at the top right of the room, « Appel vidéo »;",
          "  Element X: the camera icon in the room's header. The others join from the banner of the call.",
          "  Calls are open to the room's members who are verified CPTS members, in rooms where a CPTS bot is;",
          "  !rcp 12/03 14h 45min « point diabète » schedules an RCP with an invitation, an .ics and a reminder.",
        ]
      : ["  Video calls are off: LiveKit is not built (install Go >= 1.26, then bash scripts/install-livekit.sh)."]),
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
