// `npm start`: the whole system on embedded defaults — a local Synapse (SQLite, 127.0.0.1),
// the bots, and a seeded demo CPTS. Ctrl-C stops everything.
// The terminal gets short lines in French for the coordinator; the JSON logs go to rotated
// files under data/logs/ (CPTS_LOG_FORMAT=json keeps them on the terminal, for operators).
// Overrides: CPTS_DATA_DIR (default ./data), CPTS_SYNAPSE_PORT (8008), CPTS_BOTS_HTTP_PORT
// (9101: the first bot's /healthz and /metrics, the next bots take the following ports),
// CPTS_LIVEKIT_PORT (7880, and the next port for media), CPTS_RTC_AUTH_PORT (8090: the call
// authorisation service).
// Settings of your own (e.g. a shorter SNP cascade for training): data/overrides.yaml, merged
// into the generated data/bots.yaml at every start (see scripts/lib/config-overrides.ts).
// First: the SDK modules the demo preparation loads bind the global logger when they load.
import "../bots/core/matrix/quiet-sdk.ts";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_ERROR_EXIT_CODE } from "../bots/core/config.ts";
import { createLogger } from "../bots/core/logger.ts";
import { writePidFile } from "../bots/core/pid-file.ts";
import { Supervisor } from "../bots/core/supervisor.ts";
import { demoPolicyDirectory, seedDemo, type DemoDescription } from "./demo/seed.ts";
import { trustBotsAs } from "./demo/demo-trust.ts";
import { callStackAvailable, rtcAuthUrlOf, startCallStack, type RunningCallStack } from "./lib/call-stack.ts";
import { applyConfigOverrides, OVERRIDES_FILE } from "./lib/config-overrides.ts";
import { startDemoMail } from "./lib/demo-mail.ts";
import { assertPortFree } from "./lib/free-port.ts";
import { logFormat, logsDirOf, rotatedLogFile } from "./lib/log-files.ts";
import { ensureSynapseInstalled, startSynapse } from "./lib/synapse.ts";
import { waitForBotsReady } from "./lib/wait-ready.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data");
const LOGS_DIR = logsDirOf(DATA_DIR);
const FORMAT = (() => {
  try {
    return logFormat();
  } catch (err) {
    console.error(`npm start a échoué : ${(err as Error).message}`);
    process.exit(2);
  }
})();
const say = (line: string): void => console.log(line);

mkdirSync(LOGS_DIR, { recursive: true, mode: 0o700 });
const logger = createLogger("start", undefined, FORMAT === "json" ? undefined : rotatedLogFile(LOGS_DIR, "start"));

async function main(): Promise<void> {
  const removePid = writePidFile(join(DATA_DIR, "start.pid"));
  const port = Number(process.env["CPTS_SYNAPSE_PORT"] ?? 8008);
  await assertPortFree(port).catch(() => {
    throw new Error(`le port ${port} est déjà utilisé. Arrêtez ce qui l'occupe, ou choisissez un autre port : CPTS_SYNAPSE_PORT=8448 npm start`);
  });
  await ensureSynapseInstalled();
  const withCalls = await callStackAvailable();
  const rtcAuthPort = Number(process.env["CPTS_RTC_AUTH_PORT"] ?? 8090);
  say("Démarrage du serveur Matrix (le premier démarrage prépare aussi sa base)…");
  const botsHttpBasePort = Number(process.env["CPTS_BOTS_HTTP_PORT"] ?? 9101);
  // The policy module reads the annuaire's token at start: it must exist before Synapse.
  const policyDirectory = demoPolicyDirectory(DATA_DIR, botsHttpBasePort);
  const synapse = await startSynapse({
    mode: "local",
    dataDir: join(DATA_DIR, "synapse"),
    port,
    policyDirectory,
    ...(withCalls ? { matrixRtcServiceUrl: rtcAuthUrlOf(rtcAuthPort) } : {}),
  }).catch((err: Error) => {
    throw new Error(`le serveur Matrix n'a pas démarré (${err.message}). Son journal : ${join(DATA_DIR, "synapse", "synapse.log")}`);
  });
  say(`Serveur Matrix prêt : ${synapse.baseUrl}`);
  const demoMail = await startDemoMail(DATA_DIR);
  const seeded = await seedDemo(synapse, DATA_DIR, botsHttpBasePort, demoMail.seed).catch(async (err: unknown) => {
    await demoMail.stop();
    throw err;
  });
  const { demo, botsConfigFile, calls } = seeded;
  const { config: botsConfig, overridden } = applyConfigOverrides(botsConfigFile, join(DATA_DIR, OVERRIDES_FILE), seeded.botsConfig);
  if (overridden) say(`Réglages de ${join(DATA_DIR, OVERRIDES_FILE)} appliqués.`);
  say("CPTS de démonstration prête (comptes, annuaire, membres vérifiés).");
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
        ...(FORMAT === "json" ? {} : { output: rotatedLogFile(LOGS_DIR, "rtc-auth") }),
      },
      logger,
    );
  }

  const botEntry = join(ROOT, "bots", "main.ts");
  const supervisors = Object.keys(botsConfig.bots).map(
    (botId) =>
      new Supervisor(
        {
          name: `bot-${botId}`,
          command: process.execPath,
          args: [botEntry, botId],
          env: { ...process.env, CPTS_BOTS_CONFIG: botsConfigFile },
          ...(FORMAT === "json" ? {} : { output: rotatedLogFile(LOGS_DIR, `bot-${botId}`) }),
          onUnexpectedExit: (code, signal, restartInMs) =>
            say(
              `Le bot ${botId} s'est arrêté (${signal ?? `code ${code}`}) ; il redémarre dans ${Math.round(restartInMs / 1000)} s. ` +
                `Détails : ${join(LOGS_DIR, `bot-${botId}.log`)}`,
            ),
          stopOnExitCodes: [CONFIG_ERROR_EXIT_CODE],
          onGiveUp: () => {
            say(`Le bot ${botId} s'est arrêté sur une erreur de configuration ; détails : ${join(LOGS_DIR, `bot-${botId}.log`)}`);
            void stopAll(CONFIG_ERROR_EXIT_CODE);
          },
        },
        logger,
      ),
  );
  say(`Démarrage des bots : ${Object.keys(botsConfig.bots).join(", ")}…`);
  for (const supervisor of supervisors) supervisor.start();

  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => {});
    stopping = true;
    say("\nArrêt des bots et du serveur Matrix…");
    await Promise.all([...supervisors.map((s) => s.stop()), callStack?.stop()]);
    await synapse.stop();
    await demoMail.stop();
    removePid();
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  synapse.exited.then(() => {
    if (!stopping) {
      logger.error("the homeserver stopped unexpectedly");
      say(`Le serveur Matrix s'est arrêté de façon inattendue ; son journal : ${join(DATA_DIR, "synapse", "synapse.log")}`);
      void stopAll(1);
    }
  });

  await waitForBotsReady(Object.values(botsConfig.bots).map((bot) => bot.http.port), 120_000).catch((err: Error) => {
    throw new Error(`les bots ne sont pas prêts (${err.message}). Leurs journaux : ${LOGS_DIR}`);
  });
  // The bots now have their identities: the demo members verify them once, as a member would.
  for (const account of demo.accounts) await trustBotsAs(demo.homeserver, account, Object.values(demo.bots), logger);
  printWelcome(demo, callStack ? rtcAuthUrlOf(rtcAuthPort) : undefined, demoMail.welcome());
}

function printWelcome(demo: DemoDescription, callService: string | undefined, mailLines: readonly string[]): void {
  const lines = [
    "",
    "La messagerie CPTS fonctionne en local.",
    `  Serveur : ${demo.homeserver}   (nom du serveur ${demo.serverName})`,
    "  Connectez-vous avec n'importe quel client Element (web, bureau ou Element X) à cette adresse.",
    "",
    "  Comptes de démonstration :",
    ...demo.accounts.map((a) => `    ${a.userId.padEnd(34)} mot de passe ${a.password.padEnd(14)} ${a.profession}`),
    "  À la première connexion, Element demande de confirmer votre identité : choisissez la clé de",
    "  récupération et collez la « recoveryKey » du compte (dans data/demo.json). Les bots apparaissent alors vérifiés.",
    "",
    "  Bots (ouvrez une conversation privée avec l'un d'eux et tapez !aide) :",
    ...Object.entries(demo.bots).map(([role, userId]) => `    ${role.padEnd(10)} ${userId}`),
    "",
    "  Les professionnels de démonstration sont des membres vérifiés : ils sont invités dans l'espace",
    "  et les salons de la CPTS, et peuvent chercher dans l'annuaire (!annuaire kiné Douai) et",
    "  compléter leur fiche (!profil).",
    "  Soins non programmés : la coordinatrice régule ; dans le salon « Régulation SNP », ou en",
    "  conversation privée avec le bot snp, tapez !snp (guidé) ou",
    '  !snp IDE Douai 6h domicile "pansement" 70+ sans-MT.',
    "  Équipes de soins : avec le bot equipes, !patient ouvre un cas patient chiffré",
    "  (!inviter kiné Douai, !adresser, !alerte, !clore) ; !avis cardiologue <question> demande un avis.",
    ...mailLines,
    "",
    ...(callService
      ? [
          `  Appels vidéo (RCP, téléconsultation) : LiveKit et le service d'autorisation des appels (${callService}) tournent ici.`,
          "  Dans un cas patient, Element Web : bouton caméra en haut à droite du salon, « Appel vidéo » ;",
          "  Element X : icône caméra dans l'en-tête du salon. Les autres rejoignent depuis le bandeau de l'appel.",
          "  Les appels sont ouverts aux membres vérifiés du salon, dans les salons où se trouve un bot de la CPTS ;",
          "  !rcp 12/03 14h 45min « point diabète » planifie une RCP (invitation, fichier .ics, rappel).",
        ]
      : ["  Appels vidéo désactivés : LiveKit n'est pas construit (installez Go ≥ 1.26, puis bash scripts/install-livekit.sh)."]),
    "",
    "  Règles de la CPTS, comme en production : salons toujours chiffrés, jamais publics,",
    "  invitations aux seuls membres vérifiés, conversation privée à deux.",
    `  Ces informations sont aussi dans ${join(DATA_DIR, "demo.json")} ; les journaux détaillés dans ${LOGS_DIR}.`,
    "  Ctrl-C arrête tout.",
    "",
  ];
  say(lines.join("\n"));
}

main().catch((err: unknown) => {
  logger.error({ err }, "npm start failed");
  console.error(`npm start a échoué : ${(err as Error).message}`);
  process.exit(1);
});
