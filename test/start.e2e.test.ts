// `npm start` as a coordinator runs it: the whole system comes up on its own local Synapse,
// the demo accounts can talk to the bot, demo mail reaches its member through the MSSanté
// bridge and a reply leaves into the local outbox, a bot that dies is restarted, Ctrl-C stops all.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import { ClientPrefix, Method, type MatrixEvent } from "matrix-js-sdk";
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../scripts/lib/free-port.ts";
import type { DemoDescription } from "../scripts/demo/seed.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { isProcessAlive as isAlive } from "../bots/core/pid-file.ts";
import { until } from "./helpers/until.ts";

const START = fileURLToPath(new URL("../scripts/start.ts", import.meta.url));
const DEMO_MAIL = fileURLToPath(new URL("../scripts/demo-mail.ts", import.meta.url));

const readPid = (file: string): number => Number(readFileSync(file, "utf8").trim());
const PID_FILES = ["start.pid", "synapse/synapse.pid", "bots/bot-accueil.pid", "bots/bot-annuaire.pid", "bots/bot-snp.pid", "bots/bot-equipes.pid", "bots/bot-mssante.pid"];

describe("npm start", () => {
  let dataDir: string;
  let start: ChildProcess;
  let output = "";
  let demo: DemoDescription;
  let botsHttpPort: number;
  let liveKitPort: number;
  let rtcAuthPort: number;
  let caseCode = "";
  let gp: ElementClient | undefined;
  let coordinator: ElementClient | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "cpts-start-"));
    botsHttpPort = await findFreePort();
    // LiveKit takes this port and the next one.
    liveKitPort = await findFreePort();
    rtcAuthPort = await findFreePort();
    start = spawn(process.execPath, [START], {
      env: {
        ...process.env,
        CPTS_DATA_DIR: dataDir,
        CPTS_SYNAPSE_PORT: String(await findFreePort()),
        CPTS_BOTS_HTTP_PORT: String(botsHttpPort),
        CPTS_LIVEKIT_PORT: String(liveKitPort),
        CPTS_RTC_AUTH_PORT: String(rtcAuthPort),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    start.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    start.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until("the welcome message", 150_000, () => {
      if (start.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      return output.includes("La messagerie CPTS fonctionne en local");
    });
    demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as DemoDescription;
  });

  afterAll(async () => {
    await gp?.stop();
    await coordinator?.stop();
    if (start.exitCode === null) start.kill("SIGKILL");
  });

  it("prints how to connect and writes the same to data/demo.json", () => {
    expect(demo.serverName).toBe("cpts.localhost");
    expect(output).toContain(demo.homeserver);
    expect(demo.bots["accueil"]).toBe("@accueil:cpts.localhost");
    expect(demo.bots["annuaire"]).toBe("@annuaire:cpts.localhost");
    expect(demo.bots["snp"]).toBe("@snp:cpts.localhost");
    expect(demo.bots["equipes"]).toBe("@equipes:cpts.localhost");
    expect(demo.bots["mssante"]).toBe("@mssante:cpts.localhost");
    expect(demo.mail?.mailbox).toBe("cpts@cpts-grand-douai.mssante.localhost");
    expect(Object.keys(demo.mail?.addresses ?? {})).toContain("julien.dupont@medecin.mssante.localhost");
    expect(output).toContain("npm run demo:mail");
    expect(demo.accounts.filter((a) => a.role === "professional").every((a) => /^\d{11}$/.test(a.rpps ?? ""))).toBe(true);
    const professions = new Set(demo.accounts.filter((a) => a.role === "professional").map((a) => a.profession));
    expect(professions.size).toBeGreaterThanOrEqual(3);
    expect(demo.accounts.some((a) => a.role === "coordinator")).toBe(true);
    for (const account of demo.accounts) {
      expect(account.userId).toMatch(/^@[^:]+:cpts\.localhost$/);
      expect(account.password.length).toBeGreaterThanOrEqual(8);
      expect(output).toContain(account.userId);
      expect(output).toContain(account.password);
    }
    for (const pidFile of PID_FILES) expect(existsSync(join(dataDir, pidFile))).toBe(true);
  });

  it("keeps the terminal for short French lines and writes the JSON logs under data/logs/", () => {
    expect(output).toContain("Serveur Matrix prêt");
    expect(output.split("\n").filter((line) => line.startsWith("{"))).toEqual([]);
    // Nor the SDK's own chatter (the demo preparation's client syncs too).
    expect(output).not.toContain("MatrixRTCSession");
    for (const botId of Object.keys(demo.bots)) {
      const lines = readFileSync(join(dataDir, "logs", `bot-${botId}.log`), "utf8").split("\n").filter((line) => line !== "");
      const services = lines.map((line) => (JSON.parse(line) as { service: string }).service);
      expect(services).toContain(`bot-${botId}`);
    }
  });

  it("lets a demo professional talk to the bot in an encrypted DM", async () => {
    const account = demo.accounts.find((a) => a.role === "professional")!;
    gp = await createElementClient({ userId: account.userId, localpart: account.userId.slice(1).split(":")[0]!, password: account.password }, demo.homeserver, {
      recoveryKey: decodeRecoveryKey(account.recoveryKey),
    });
    // Confirmed with the recovery key from demo.json, as Element asks at the first sign-in: the
    // member's identity has signed every bot's identity.
    const botIds = Object.values(demo.bots);
    const keys = await gp.client.downloadKeysForUsers([account.userId, ...botIds]);
    const userSigningKey = Object.values(keys.user_signing_keys?.[account.userId]?.keys ?? {})[0];
    for (const botUserId of botIds) {
      const master = keys.master_keys?.[botUserId] as { signatures?: Record<string, Record<string, string>> } | undefined;
      expect(Object.keys(master?.signatures?.[account.userId] ?? {})).toContain(`ed25519:${userSigningKey}`);
    }
    const roomId = await gp.createEncryptedDm(demo.bots["accueil"]!);
    await gp.waitForJoin(roomId, demo.bots["accueil"]!);
    // …and Element shows the bot as verified (green).
    await until("the accueil bot verified for the demo member", 30_000, async () =>
      (await gp!.client.getCrypto()!.getUserVerificationStatus(demo.bots["accueil"]!)).isCrossSigningVerified(),
    );
    const commandId = await gp.sendText(roomId, "!ping");
    const reply = await gp.waitForMessage(roomId, (e: MatrixEvent) => e.getSender() === demo.bots["accueil"] && String(e.getContent()["body"]).includes("pong"));
    expect(reply.isEncrypted()).toBe(true);
    expect(commandId).toBeTruthy();
    // The directory bot invited the demo's verified members to the Space, general and profession rooms.
    await until("invitations to the community rooms", 30_000, () => gp!.client.getRooms().filter((r) => r.getMyMembership() === "invite").length >= 3);
  });

  it("dispatches a demo professional's SNP request to the demo nurse", async () => {
    const snp = demo.bots["snp"]!;
    const roomId = await gp!.createEncryptedDm(snp);
    await gp!.waitForJoin(roomId, snp);
    const commandId = await gp!.sendText(roomId, '!snp IDE Douai 6h domicile "pansement" 70+ sans-MT');
    const reply = await gp!.waitForMessage(roomId, (e: MatrixEvent) => e.getSender() === snp && JSON.stringify(e.getContent()).includes(commandId));
    expect(String(reply.getContent()["body"])).toMatch(/Demande SNP-\w{4} enregistrée\. 1 professionnel\(s\) sollicité\(s\)/);
  });

  it("opens a demo patient case with the demo nurse", async () => {
    const equipes = demo.bots["equipes"]!;
    const nurse = demo.accounts.find((a) => a.profession.startsWith("infirmi"))!;
    const roomId = await gp!.createEncryptedDm(equipes);
    await gp!.waitForJoin(roomId, equipes);
    const commandId = await gp!.sendText(roomId, `!patient plaie pied diabétique ${nurse.userId}`);
    const reply = await gp!.waitForMessage(roomId, (e: MatrixEvent) => e.getSender() === equipes && JSON.stringify(e.getContent()).includes(commandId));
    expect(String(reply.getContent()["body"])).toMatch(/Cas C-\w{4} · plaie pied diabétique ouvert.*Sophie Bernard/);
    caseCode = /Cas (C-\w{4})/.exec(String(reply.getContent()["body"]))![1]!;
  });

  it("runs the call stack: the homeserver announces it, and a member of the case room gets a call token", async () => {
    expect(output).toContain(`service d'autorisation des appels (http://127.0.0.1:${rtcAuthPort})`);
    const client = gp!.client;
    const transports = await client.http.authedRequest<{ rtc_transports: unknown[] }>(
      Method.Get, "/org.matrix.msc4143/rtc/transports", undefined, undefined, { prefix: ClientPrefix.Unstable },
    );
    expect(transports.rtc_transports).toEqual([{ type: "livekit", livekit_service_url: `http://127.0.0.1:${rtcAuthPort}` }]);
    const invitedCaseRoom = () => client.getRooms().find((r) => r.name.includes(caseCode) && ["invite", "join"].includes(r.getMyMembership()));
    await until("the invitation to the case room", 30_000, () => invitedCaseRoom() !== undefined);
    const caseRoom = invitedCaseRoom()!;
    if (caseRoom.getMyMembership() === "invite") await client.joinRoom(caseRoom.roomId);
    const ask = async (room: string) =>
      fetch(`http://127.0.0.1:${rtcAuthPort}/sfu/get`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ room, openid_token: await client.getOpenIdToken(), device_id: client.getDeviceId() }),
      });
    // The care bot learns of the join by its sync: ask until it has.
    let granted: { url?: string } = {};
    await until("a call token from the authorisation service", 30_000, async () => {
      const res = await ask(caseRoom.roomId);
      if (res.ok) granted = (await res.json()) as { url: string };
      return res.ok;
    });
    expect(granted.url).toBe(`ws://127.0.0.1:${liveKitPort}`);
    // A room no CPTS bot is in: no call.
    const { room_id: plainRoom } = await client.createRoom({});
    expect((await ask(plainRoom)).status).toBe(403);
  });

  it("carries `npm run demo:mail`'s mails to the demo GP and the coordinator, encrypted, and sends the GP's reply into the outbox", async () => {
    const bridge = demo.bots["mssante"]!;
    const coordinatorAccount = demo.accounts.find((a) => a.role === "coordinator")!;
    coordinator = await createElementClient(
      { userId: coordinatorAccount.userId, localpart: coordinatorAccount.userId.slice(1).split(":")[0]!, password: coordinatorAccount.password },
      demo.homeserver,
      { recoveryKey: decodeRecoveryKey(coordinatorAccount.recoveryKey) },
    );
    // The bridge invites: the coordinator to its triage room when it starts, the GP when their first mail comes.
    const joining = new Set<string>();
    const roomWithBridge = (member: ElementClient): string | undefined => {
      for (const room of member.client.getRooms()) {
        const invitedByBridge = room.getMyMembership() === "invite" && room.getMember(member.userId)?.events.member?.getSender() === bridge;
        if (invitedByBridge && !joining.has(`${member.userId}${room.roomId}`)) {
          joining.add(`${member.userId}${room.roomId}`);
          void member.client.joinRoom(room.roomId).catch(() => joining.delete(`${member.userId}${room.roomId}`));
        }
      }
      return member.client.getRooms().find((r) => r.getMyMembership() === "join" && r.getMember(bridge)?.membership === "join")?.roomId;
    };
    // As docs/mssante.md says: the coordinator accepts the triage room's invitation before mail comes
    // (the bridge learns of a device that logged in later only once it shares a joined room with it).
    await until("the coordinator in the bridge's triage room", 60_000, () => roomWithBridge(coordinator!) !== undefined);
    const triage = roomWithBridge(coordinator!)!;
    const demoMail = spawn(process.execPath, [DEMO_MAIL], { env: { ...process.env, CPTS_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"] });
    let demoMailOutput = "";
    demoMail.stdout?.on("data", (chunk: Buffer) => (demoMailOutput += chunk.toString()));
    demoMail.stderr?.on("data", (chunk: Buffer) => (demoMailOutput += chunk.toString()));
    expect(await new Promise((resolve) => demoMail.once("exit", resolve)), demoMailOutput).toBe(0);
    expect(demoMailOutput).toContain("Lettre de liaison de sortie");

    await until("the GP in a chat with the bridge", 60_000, () => roomWithBridge(gp!) !== undefined);
    const dm = roomWithBridge(gp!)!;
    const letter = await gp!.waitForMessage(dm, (e: MatrixEvent) => e.getSender() === bridge && String(e.getContent()["body"]).includes("Objet : Lettre de liaison de sortie"));
    expect(letter.isEncrypted()).toBe(true);
    expect(String(letter.getContent()["body"])).toContain("DOC0001.XML — Lettre de liaison de sortie (LOINC 11490-0)");

    await gp!.sendEvent(dm, "m.room.message", {
      msgtype: "m.text",
      body: "Bien reçu, je vois Mme Exemple jeudi.",
      "m.relates_to": { rel_type: "m.thread", event_id: letter.getId()!, is_falling_back: true, "m.in_reply_to": { event_id: letter.getId()! } },
    });
    const outbox = demo.mail!.outbox;
    await until("the reply in the demo outbox", 60_000, () => existsSync(outbox) && readdirSync(outbox).some((f) => f.endsWith(".eml")));
    const sent = await simpleParser(readFileSync(join(outbox, readdirSync(outbox).find((f) => f.endsWith(".eml"))!)));
    expect(sent.text).toContain("Bien reçu, je vois Mme Exemple jeudi.");
    expect(sent.subject).toBe("Re: Lettre de liaison de sortie");
    expect(JSON.stringify(sent.to)).toContain("secretariat.cardio@ch-valmont.mssante.localhost");
    expect(sent.from?.text).toContain("cpts@cpts-grand-douai.mssante.localhost");

    const request = await coordinator!.waitForMessage(triage, (e: MatrixEvent) => e.getSender() === bridge && String(e.getContent()["body"]).includes("Objet : Demande de passages infirmiers"));
    expect(request.isEncrypted()).toBe(true);
    expect(coordinator!.client.getRoom(triage)?.name).toBe("MSSanté — à trier");
  });

  it("restarts a bot process that dies", async () => {
    const pidFile = join(dataDir, "bots", "bot-accueil.pid");
    const firstPid = readPid(pidFile);
    process.kill(firstPid, "SIGKILL");
    await until("a new bot process", 30_000, () => existsSync(pidFile) && readPid(pidFile) !== firstPid && isAlive(readPid(pidFile)));
    await until("the restarted bot ready", 60_000, () => fetch(`http://127.0.0.1:${botsHttpPort}/healthz`).then((r) => r.ok, () => false));
  });

  it("stops everything cleanly on Ctrl-C", async () => {
    await gp?.stop();
    gp = undefined;
    await coordinator?.stop();
    coordinator = undefined;
    const pids = [...PID_FILES.slice(1).map((f) => readPid(join(dataDir, f))), start.pid!];
    const exited = new Promise<number | null>((resolve) => start.once("exit", (code) => resolve(code)));
    start.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    const leftPidFiles = PID_FILES.filter((f) => existsSync(join(dataDir, f)));
    expect(leftPidFiles, output.slice(-3000)).toEqual([]);
  });
});
