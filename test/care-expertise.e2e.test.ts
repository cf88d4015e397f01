// Téléexpertise on the real Synapse: routed to the members who declared the expertise, then
// wider; the first of two experts takes it and gets the requester's file (encrypted anew for
// them); the answer closes it; the record is exported for the funder without clinical content.
import { encryptAttachment } from "matrix-encrypt-attachment";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPosted } from "../bots/care/matrix/forwarding.ts";
import { body, createCareWorld, joinedRoomNamed, seenBy, type CareWorld } from "./helpers/care-world.ts";
import type { ElementClient } from "./helpers/element-client.ts";
import { until } from "./helpers/until.ts";

const CODE = /AV-[A-Z2-9]{4}/;
const ECG = new TextEncoder().encode("%PDF-1.4 tracé ECG 12 dérivations (factice)");

async function sendFile(client: ElementClient, roomId: string, name: string, data: Uint8Array): Promise<string> {
  const { data: encrypted, info } = await encryptAttachment(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  const upload = await client.client.uploadContent(new Blob([encrypted]), { type: "application/octet-stream", includeFilename: false });
  return client.sendEvent(roomId, "m.room.message", { msgtype: "m.file", body: name, filename: name, info: { mimetype: "application/pdf", size: data.byteLength }, file: { ...info, url: upload.content_uri } });
}

describe("téléexpertise", () => {
  let world: CareWorld;
  let gp: ElementClient;
  let declaredA: ElementClient;
  let declaredB: ElementClient;
  let cardiologist: ElementClient;
  let pediatrician: ElementClient;

  const botMessagesTo = (client: ElementClient, text: string): MatrixEvent[] =>
    seenBy(client).filter((e) => e.getSender() === world.setup.userId && body(e).includes(text) && e.getContent()["m.relates_to"]?.rel_type !== "m.replace");
  const notificationOf = async (client: ElementClient, code: string, timeoutMs = 30_000): Promise<MatrixEvent> => {
    await until(`${client.userId}: request ${code}`, timeoutMs, () => botMessagesTo(client, code).some((e) => body(e).startsWith("🔎 Demande")));
    return botMessagesTo(client, code).find((e) => body(e).startsWith("🔎 Demande"))!;
  };
  const react = (client: ElementClient, event: MatrixEvent, key: string): Promise<string> =>
    client.sendEvent(event.getRoomId()!, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: event.getId(), key } });

  beforeAll(async () => {
    world = await createCareWorld(
      [
        { name: "Julien Dupuis", profession: "Médecin", specialties: ["Médecine Générale"], commune: "Douai", communeCode: "59178" },
        { name: "Alain Cœur", profession: "Médecin", specialties: ["Médecine Générale"], commune: "Douai", communeCode: "59178", declared: ["téléexpertise cardiologie", "ECG"] },
        { name: "Camille Ventricule", profession: "Médecin", specialties: ["Cardiologie et maladies vasculaires"], commune: "Waziers", communeCode: "59654", declared: ["cardiologie"] },
        { name: "Nora Systole", profession: "Médecin", specialties: ["Pathologie cardio-vasculaire"], commune: "Sin-le-Noble", communeCode: "59569" },
        { name: "Léa Fontanelle", profession: "Médecin", specialties: ["Pédiatrie"], commune: "Douai", communeCode: "59178" },
      ],
      { expertiseWaveTimeout: "8s" },
    );
    [gp, declaredA, declaredB, cardiologist, pediatrician] = world.members as [ElementClient, ElementClient, ElementClient, ElementClient, ElementClient];
  });

  afterAll(async () => {
    await world?.stop();
  });

  let answeredCode: string;

  it("is taken by the first of the two experts who declared the expertise; they get the file; the answer closes it", async () => {
    const dm = await world.dm(gp);
    const reply = await world.ask(gp, dm, "!avis cardiologue ECG ci-joint, douleur thoracique atypique");
    expect(reply).toMatch(/Téléexpertise AV-[A-Z2-9]{4} \(cardiologie\) envoyée à 2 expert\(s\)/);
    const code = CODE.exec(reply)![0];
    answeredCode = code;
    const room = await joinedRoomNamed(gp, `Avis ${code}`);
    await sendFile(gp, room, "ecg.pdf", ECG);
    await until("the file is kept for the expert", 15_000, () => world.dbGet<{ n: number }>("SELECT COUNT(*) AS n FROM care_expertise_attachments WHERE code = ?", code).n === 1);

    const [toA, toB] = await Promise.all([notificationOf(declaredA, code), notificationOf(declaredB, code)]);
    expect(body(toA)).toContain("Question : ECG ci-joint, douleur thoracique atypique");
    expect(body(toA)).toContain("déclaré cette expertise");
    await react(declaredB, toB, "✋");
    const expertRoom = await joinedRoomNamed(declaredB, `Avis ${code}`);
    expect(expertRoom).toBe(room);
    await world.botSays(declaredB, room, (b) => b.startsWith("✋ Camille Ventricule") && b.includes("douleur thoracique atypique"));
    const forwarded = await declaredB.waitForMessage(room, (e) => e.getSender() === world.setup.userId && e.getContent()["msgtype"] === "m.file");
    const file = await readPosted(declaredB.client, room, forwarded.getId()!);
    expect(file?.kind === "file" && new TextDecoder().decode(file.file.data)).toBe(new TextDecoder().decode(ECG));
    await until("the other expert is told", 20_000, () => botMessagesTo(declaredA, code).some((e) => body(e).startsWith(`✔️ Téléexpertise ${code} prise par Camille Ventricule`)));
    await world.botSays(gp, room, (b) => b.startsWith("✋ Camille Ventricule prend votre téléexpertise"));

    await react(declaredA, toA, "✋");
    await until("the late expert is told it is taken", 20_000, () => botMessagesTo(declaredA, code).some((e) => body(e).includes("déjà prise par Camille Ventricule")));
    expect(await world.ask(gp, room, "!reponse je pense que c'est normal")).toContain("Seul(e) l'expert(e)");
    expect(await world.ask(declaredB, room, "!reponse ECG sans signe d'ischémie, pas d'urgence")).toContain(`téléexpertise ${code} close`);
    await world.botSays(gp, dm, (b) => b.startsWith(`✅ Téléexpertise ${code} : Camille Ventricule a répondu`));
    expect(world.dbGet<{ question: string | null }>("SELECT question FROM care_expertise WHERE code = ?", code).question).toBeNull();
    // The wider wave never comes for a request already taken.
    await new Promise((r) => setTimeout(r, 8_000 + 7_000));
    expect(botMessagesTo(cardiologist, code)).toHaveLength(0);
  });

  it("goes to the specialty's wider circle when nobody takes it, then closes without an expert", async () => {
    const dm = await world.dm(gp);
    const code = CODE.exec(await world.ask(gp, dm, "!avis cardio bilan HTA du sujet jeune"))![0];
    await notificationOf(declaredA, code);
    expect(botMessagesTo(cardiologist, code)).toHaveLength(0);
    const wider = await notificationOf(cardiologist, code, 8_000 + 20_000);
    expect(body(wider)).toContain("au titre de votre spécialité");
    await world.botSays(gp, dm, (b) => b.startsWith(`⏹️ Téléexpertise ${code} : aucun expert ne l'a prise à temps`), 8_000 + 20_000);
    expect(await world.ask(gp, dm, "!avis dermato lésion pigmentée du dos")).toContain("Aucun membre de la CPTS n'a déclaré l'expertise « dermatologie »");
  });

  it("exports the record for the funder and billing, without clinical content, to coordinators only", async () => {
    expect(await world.ask(gp, await world.dm(gp), "!avis export")).toContain("réservé aux coordinateurs");
    const dm = await world.dm(world.coordinator);
    expect(await world.ask(world.coordinator, dm, "!avis export")).toMatch(/Registre des téléexpertises du .*: 3 demande\(s\), dont 1 répondue\(s\)/);
    const file = await world.coordinator.waitForMessage(dm, (e) => e.getSender() === world.setup.userId && e.getContent()["msgtype"] === "m.file");
    const posted = await readPosted(world.coordinator.client, dm, file.getId()!);
    if (posted?.kind !== "file") throw new Error("no CSV file");
    const csv = new TextDecoder().decode(posted.file.data);
    const row = csv.split("\r\n").find((line) => line.startsWith(answeredCode))!.split(";");
    expect(row.slice(0, 6)).toEqual([answeredCode, "cardiologie", "Julien Dupuis", world.rpps[0], "Camille Ventricule", world.rpps[2]]);
    expect(row[10]).toBe("répondue");
    expect(csv).not.toMatch(/ECG|thoracique|ischémie|HTA|lésion/);
  });

  it("with nobody who declared it, goes to the specialty at once, says so, and keeps the specialty's accents", async () => {
    const dm = await world.dm(gp);
    const reply = await world.ask(gp, dm, "!avis pédiatre fièvre prolongée chez un nourrisson");
    expect(reply).toMatch(/Téléexpertise AV-[A-Z2-9]{4} \(pédiatrie\) envoyée à 1 expert\(s\)/);
    const code = CODE.exec(reply)![0];
    await joinedRoomNamed(gp, `Avis ${code} · pédiatrie`);
    const notification = await notificationOf(pediatrician, code);
    expect(body(notification)).toContain(`${code} — pédiatrie`);
    expect(body(notification)).toContain("au titre de votre spécialité");
    expect(body(notification)).not.toContain("déclaré cette expertise");
  });
});
