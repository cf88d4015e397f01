// The MSSanté bridge under failure, against the real servers: `kill -9` in the middle of a
// mail, Dovecot restarted under it, the homeserver unreachable for a minute, a UIDVALIDITY
// change. Every mail ends up in Matrix exactly once, and is marked processed only after.
import { join } from "node:path";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { spawnBot, startBotProcess, waitReady, type BotProcess } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { startMailWorld, type MailWorld, joinTriageRoom } from "./helpers/mail-bridge.ts";
import { fixturePdf, plainLetter, replyWithPdf } from "./helpers/mail-fixtures.ts";
import { until } from "./helpers/until.ts";
import { createTestUser } from "./helpers/users.ts";

const OUTAGE_MS = Number(process.env["MSSANTE_OUTAGE_SECONDS"] ?? 60) * 1000;
const MAIL_META = "org.cpts.mssante.mail";

/** A TCP relay in front of the test Synapse that can be cut (connections dropped, new ones refused) and restored. */
function cuttableProxy(target: URL): { server: Server; port: () => number; cut(): Promise<void>; restore(): Promise<void> } {
  const sockets = new Set<Socket>();
  let port = 0;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  return {
    server,
    port: () => port,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async restore() {
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    },
  };
}

describe("MSSanté bridge: reliability", () => {
  let world: MailWorld;
  let bot: BotProcess;
  let coordinator: ElementClient;
  let triageRoom: string;
  const proxy = cuttableProxy(new URL(inject("synapse").baseUrl));

  const mailEvents = (): MatrixEvent[] =>
    coordinator.client
      .getRoom(triageRoom)!
      .getLiveTimeline()
      .getEvents()
      .filter((e) => e.getSender() === world.setup.userId && !e.isDecryptionFailure());
  const mainsOf = (messageId: string): MatrixEvent[] => mailEvents().filter((e) => (e.getContent()[MAIL_META] as { messageId?: string } | undefined)?.messageId === messageId);
  const childrenOf = (eventId: string): MatrixEvent[] => mailEvents().filter((e) => (e.getContent()["m.relates_to"] as { event_id?: string } | undefined)?.event_id === eventId && e.getContent()["msgtype"] === "m.file");

  /** Each mail once, each with exactly its files once. */
  async function expectExactlyOnce(messageIds: readonly string[], filesPerMail: number): Promise<void> {
    await until(`all ${messageIds.length} mails in the room`, 120_000, () => messageIds.every((id) => mainsOf(id).length >= 1 && childrenOf(mainsOf(id)[0]!.getId()!).length >= filesPerMail));
    for (const id of messageIds) {
      expect(mainsOf(id), id).toHaveLength(1);
      expect(childrenOf(mainsOf(id)[0]!.getId()!), id).toHaveLength(filesPerMail);
    }
  }

  async function restartBot(): Promise<void> {
    bot = spawnBot(world.setup);
    await waitReady(world.setup, bot);
  }

  beforeAll(async () => {
    await proxy.restore();
    const coordinatorUser = await createTestUser("coordination");
    world = await startMailWorld({ coordinators: [coordinatorUser.userId], homeserverUrl: `http://127.0.0.1:${proxy.port()}` });
    bot = await startBotProcess(world.setup);
    coordinator = await createElementClient(coordinatorUser);
    triageRoom = await joinTriageRoom(world, coordinator);
  });

  afterAll(async () => {
    await coordinator?.stop();
    await bot?.stop();
    await world?.dispose();
    proxy.server.close();
  });

  it("after kill -9 in the middle of a mail and a restart, every mail is in Matrix exactly once", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `kill9-${i}@infirmier.mssante.test`);
    for (const id of ids) await world.deliver(replyWithPdf({ messageId: id, inReplyTo: "inconnu@x.test", pdf: fixturePdf(id, 400_000) }));
    // Killed while a mail is half in Matrix: its message is there, its files are still being uploaded.
    await until("a mail half carried", 60_000, () => ids.slice(2).some((id) => mainsOf(id).length === 1 && childrenOf(mainsOf(id)[0]!.getId()!).length === 0));
    await bot.kill9();
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    const halfDone = db.prepare("SELECT COUNT(*) AS n FROM mssante_inbound i WHERE status = 'posting' AND EXISTS (SELECT 1 FROM mssante_inbound_events e WHERE e.inbound_id = i.id)").get() as { n: number };
    db.close();
    expect(halfDone.n).toBeGreaterThanOrEqual(1);
    expect(world.folderCounts()["INBOX"]).toBeGreaterThan(0);
    await restartBot();
    await expectExactlyOnce(ids, 2);
    await until("all marked processed", 30_000, () => world.folderCounts()["INBOX"] === 0);
  });

  it("reconnects after Dovecot restarts and catches up with the mail that arrived meanwhile", async () => {
    await world.dovecot.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    await world.dovecot.start();
    const ids = ["apres-redemarrage-1@medecin.mssante.test", "apres-redemarrage-2@medecin.mssante.test"];
    for (const id of ids) await world.deliver(plainLetter({ messageId: id }));
    await expectExactlyOnce(ids, 1);
    await until("all marked processed", 30_000, () => world.folderCounts()["INBOX"] === 0);
  });

  it("while the homeserver is unreachable, mail waits unprocessed in IMAP; all of it arrives after", async () => {
    await proxy.cut();
    const ids = ["pendant-coupure-1@medecin.mssante.test", "pendant-coupure-2@medecin.mssante.test", "pendant-coupure-3@medecin.mssante.test"];
    for (const id of ids) await world.deliver(plainLetter({ messageId: id }));
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect(world.folderCounts()["INBOX"]).toBe(3);
    await proxy.restore();
    await expectExactlyOnce(ids, 1);
    await until("all marked processed", 60_000, () => world.folderCounts()["INBOX"] === 0);
  });

  it("after a UIDVALIDITY change, a mail already carried is not posted again and a new one is not lost", async () => {
    const carried = "avant-uidvalidity@medecin.mssante.test";
    await world.deliver(plainLetter({ messageId: carried }));
    await expectExactlyOnce([carried], 1);
    await until("marked processed", 30_000, () => world.folderCounts()["INBOX"] === 0);
    await bot.stop();
    // As a rebuilt mailbox would: the carried mail back in INBOX without the bridge's mark, every UID renumbered.
    const user = ["-u", world.mailbox];
    world.dovecot.doveadm(["copy", ...user, "INBOX", "mailbox", "Processed", "header", "Message-ID", carried]);
    world.dovecot.doveadm(["flags", "remove", ...user, "$CptsBridged", "mailbox", "INBOX", "all"]);
    const fresh = "apres-uidvalidity@medecin.mssante.test";
    await world.deliver(plainLetter({ messageId: fresh }));
    world.dovecot.doveadm(["mailbox", "update", ...user, "--uid-validity", String(Math.floor(Date.now() / 1000) + 7), "INBOX"]);
    expect(world.folderCounts()["INBOX"]).toBe(2);
    await restartBot();
    await expectExactlyOnce([fresh], 1);
    await until("both marked processed", 30_000, () => world.folderCounts()["INBOX"] === 0);
    expect(mainsOf(carried)).toHaveLength(1);
  });
});
