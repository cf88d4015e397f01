// `npm start` as a coordinator runs it: the whole system comes up on its own local Synapse,
// the demo accounts can talk to the bot, demo mail reaches its member through the MSSanté
// bridge and a reply leaves into the local outbox, a bot that dies is restarted, Ctrl-C stops all.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import type { MatrixEvent } from "matrix-js-sdk";
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
  let gp: ElementClient | undefined;
  let coordinator: ElementClient | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "cpts-start-"));
    botsHttpPort = await findFreePort();
    start = spawn(process.execPath, [START], {
      env: { ...process.env, CPTS_DATA_DIR: dataDir, CPTS_SYNAPSE_PORT: String(await findFreePort()), CPTS_BOTS_HTTP_PORT: String(botsHttpPort) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    start.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    start.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until("the welcome message", 150_000, () => {
      if (start.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      return output.includes("CPTS messaging is running locally");
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

  it("lets a demo professional talk to the bot in an encrypted DM", async () => {
    const account = demo.accounts.find((a) => a.role === "professional")!;
    gp = await createElementClient({ userId: account.userId, localpart: account.userId.slice(1).split(":")[0]!, password: account.password }, demo.homeserver);
    const roomId = await gp.createEncryptedDm(demo.bots["accueil"]!);
    await gp.waitForJoin(roomId, demo.bots["accueil"]!);
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
  });

  it("carries `npm run demo:mail`'s mails to the demo GP and the coordinator, encrypted, and sends the GP's reply into the outbox", async () => {
    const bridge = demo.bots["mssante"]!;
    const coordinatorAccount = demo.accounts.find((a) => a.role === "coordinator")!;
    coordinator = await createElementClient({ userId: coordinatorAccount.userId, localpart: coordinatorAccount.userId.slice(1).split(":")[0]!, password: coordinatorAccount.password }, demo.homeserver);
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
    // As the README says: the coordinator accepts the triage room's invitation before mail comes
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
