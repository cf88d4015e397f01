// RCP in a patient case room on the real Synapse, with the care bot as a real process:
// `!rcp` announces the meeting to the whole team with join instructions and an encrypted
// .ics file, reminds 15 minutes before (the reminder job's time is moved, not waited for),
// and records who took part from the call membership state events Element Call sends.
import { join } from "node:path";
import { decryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { CALL_MEMBER_STATE } from "../bots/care/matrix/care-rooms.ts";
import { openDatabase, type Db } from "../bots/database.ts";
import { body, createCareWorld, joinedRoomNamed, type CareWorld } from "./helpers/care-world.ts";

const CASE_CODE = /C-[A-Z2-9]{4}/;
const PARIS = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "dd/mm/yyyy HHhMM" in Paris, what a member types, `minutes` from now. */
function inMinutes(minutes: number): string {
  const p = Object.fromEntries(PARIS.formatToParts(Date.now() + minutes * 60_000).map((x) => [x.type, x.value]));
  return `${p["day"]}/${p["month"]}/${p["year"]} ${p["hour"]}h${p["minute"]}`;
}

describe("!rcp in a patient case room", () => {
  let world: CareWorld;
  let gp: CareWorld["members"][number];
  let nurse: CareWorld["members"][number];
  let db: Db;
  let caseRoom: string;

  /** Moves the latest scheduled job of this kind to now: the same as the bot's clock reaching its time. */
  const runJobNow = (kind: string): void => {
    const moved = db
      .prepare("UPDATE scheduled_jobs SET due_at = ? WHERE id = (SELECT MAX(id) FROM scheduled_jobs WHERE kind = ? AND status = 'pending')")
      .run(Date.now(), kind);
    expect(moved.changes).toBe(1);
  };

  beforeAll(async () => {
    world = await createCareWorld([
      { name: "Julien Dupuis", profession: "Médecin", specialties: ["Médecine Générale"], commune: "Douai", communeCode: "59178" },
      { name: "Sophie Bernardin", profession: "Infirmier", commune: "Douai", communeCode: "59178" },
    ]);
    [gp, nurse] = world.members as [typeof gp, typeof gp];
    db = openDatabase(join(world.setup.dataDir, "bots.db"));
    const dm = await world.dm(gp);
    const reply = await world.ask(gp, dm, `!patient plaie pied diabétique ${nurse.userId}`);
    const code = CASE_CODE.exec(reply)![0];
    caseRoom = await joinedRoomNamed(gp, code);
    await joinedRoomNamed(nurse, code);
  });

  afterAll(async () => {
    db?.close();
    await world?.stop();
  });

  it("announces the meeting to the whole team with how to join, and an encrypted .ics file", async () => {
    const when = inMinutes(40);
    const reply = await world.ask(gp, caseRoom, `!rcp ${when} 45min point plaie`);
    expect(reply).toMatch(/C'est annoncé à l'équipe, avec le fichier d'agenda\. Rappel le \d\d\/\d\d \d\d:\d\d\./);

    const invitation = await world.botSays(nurse, caseRoom, (b) => b.startsWith("📹 RCP programmée"));
    expect(body(invitation)).toContain("(45 min) : point plaie, par Julien Dupuis");
    expect(body(invitation)).toContain("Element X, icône caméra");
    expect(invitation.isEncrypted()).toBe(true);
    expect((invitation.getContent()["m.mentions"] as { user_ids: string[] }).user_ids.sort()).toEqual([gp.userId, nurse.userId].sort());

    const icsEvent = await nurse.waitForMessage(caseRoom, (e: MatrixEvent) => e.getSender() === world.setup.userId && e.getContent()["msgtype"] === "m.file");
    expect(icsEvent.isEncrypted()).toBe(true);
    expect(icsEvent.getContent()["body"]).toMatch(/^RCP-C-[A-Z2-9]{4}\.ics$/);
    const file = icsEvent.getContent()["file"] as IEncryptedFile & { url: string };
    const [server, mediaId] = file.url.replace("mxc://", "").split("/");
    const response = await fetch(`${inject("synapse").baseUrl}/_matrix/client/v1/media/download/${server}/${mediaId}`, {
      headers: { authorization: `Bearer ${nurse.client.getAccessToken()}` },
    });
    const stored = new Uint8Array(await response.arrayBuffer());
    // The homeserver holds ciphertext only.
    expect(new TextDecoder().decode(stored)).not.toContain("VCALENDAR");
    const ics = new TextDecoder().decode(await decryptAttachment(stored.buffer, file));
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain("DURATION:PT45M");
    expect(ics).toContain(`URL:https://matrix.to/#/${encodeURIComponent(caseRoom)}`);
    expect(ics).toMatch(/TRIGGER:-PT15M/);
  });

  it("reminds the team 15 minutes before, in reply to the invitation", async () => {
    runJobNow("care-rcp-reminder");
    const reminder = await world.botSays(nurse, caseRoom, (b) => b.startsWith("⏰ RCP dans 15 minutes"), 20_000);
    expect((reminder.getContent()["m.mentions"] as { user_ids: string[] }).user_ids).toContain(nurse.userId);
    expect(reminder.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id).toBeTruthy();
  });

  it("records who took part from the call memberships, without content", async () => {
    // Starts in 11 minutes: no reminder, and the call the members join now is within the record.
    const reply = await world.ask(gp, caseRoom, `!rcp ${inMinutes(11)} 30min`);
    expect(reply).toContain("pas de rappel");
    const join = (client: typeof gp, device: string) =>
      client.client.sendStateEvent(caseRoom, CALL_MEMBER_STATE as never, { application: "m.call", call_id: "", scope: "m.room", device_id: device, focus_active: { type: "livekit", focus_selection: "oldest_membership" }, foci_preferred: [] } as never, `_${client.userId}_${device}_m.call`);
    const leave = (client: typeof gp, device: string) => client.client.sendStateEvent(caseRoom, CALL_MEMBER_STATE as never, {} as never, `_${client.userId}_${device}_m.call`);
    await join(gp, "GPDEVICE");
    await join(nurse, "NURSEDEVICE");
    await new Promise((r) => setTimeout(r, 1_500));
    await leave(nurse, "NURSEDEVICE");
    await leave(gp, "GPDEVICE");
    await new Promise((r) => setTimeout(r, 1_000));

    runJobNow("care-rcp-record");
    const record = await world.botSays(nurse, caseRoom, (b) => b.startsWith("📋 RCP du"), 20_000);
    expect(body(record)).toMatch(/appel de \d\d:\d\d à \d\d:\d\d, 2 participant\(s\) : /);
    expect(body(record)).toContain("Julien Dupuis");
    expect(body(record)).toContain("Sophie Bernardin");
    const row = db.prepare("SELECT participants, attended_from, attended_to FROM care_rcp WHERE recorded_at IS NOT NULL").get() as { participants: string; attended_from: number; attended_to: number };
    expect((JSON.parse(row.participants) as { userId: string }[]).map((p) => p.userId).sort()).toEqual([gp.userId, nurse.userId].sort());
    expect(row.attended_to).toBeGreaterThan(row.attended_from);
    // Only who, which device, when: no event content is kept.
    expect(db.prepare("SELECT * FROM care_call_memberships LIMIT 1").get()).toEqual(expect.objectContaining({ device_id: "GPDEVICE" }));
    expect(Object.keys(db.prepare("SELECT * FROM care_call_memberships LIMIT 1").get() as object).sort()).toEqual(["at", "device_id", "event_id", "joined", "room_id", "user_id"]);
  });
});
