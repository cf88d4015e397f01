import { describe, expect, it } from "vitest";
import { fixtureMail } from "../../../test/fixtures/mssante/fixture-files.ts";
import { parseMail } from "./inbound-mail.ts";

describe("parseMail", () => {
  it("reads a plain letter: ids, addresses, UTF-8 body", async () => {
    const mail = await parseMail(fixtureMail("plain-letter.eml"));
    expect(mail.messageId).toBe("lettre-1@medecin.mssante.test");
    expect(mail.from).toEqual({ address: "alice.martin-lefort@medecin.mssante.test", name: "Dr Alice Martin-Lefort" });
    expect(mail.to.map((a) => a.address)).toEqual(["cpts@cpts-grand-douai.mssante.test"]);
    expect(mail.subject).toBe("Mme Exemple — suivi à domicile");
    expect(mail.text).toContain("œdèmes");
    expect(mail.report).toBeUndefined();
    expect(mail.attachments).toEqual([]);
  });

  it("reads a reply with its threading headers and its PDF", async () => {
    const mail = await parseMail(fixtureMail("reply-with-pdf.eml"));
    expect(mail.inReplyTo).toEqual(["lettre-1@medecin.mssante.test"]);
    expect(mail.references).toEqual(["lettre-1@medecin.mssante.test"]);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.fileName).toBe("fiche-surveillance.pdf");
    expect(mail.attachments[0]!.contentType).toBe("application/pdf");
    expect(mail.attachments[0]!.data.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("decodes an ISO-8859-1 body and an encoded-word subject", async () => {
    const mail = await parseMail(fixtureMail("iso-8859-1.eml"));
    expect(mail.subject).toBe("Résultats d'échographie");
    expect(mail.text).toContain("Chère consoeur");
    expect(mail.text).toContain("À revoir dans 6 mois");
  });

  it("keeps the HTML as sent (sanitised later) and the inline image as an attachment", async () => {
    const mail = await parseMail(fixtureMail("html-with-script.eml"));
    expect(mail.html).toContain("<script>");
    expect(mail.text).toContain("planning");
    expect(mail.attachments.map((a) => a.fileName)).toEqual(["logo.png"]);
  });

  it("recognises a delivery-status notification and the mail it is about", async () => {
    const mail = await parseMail(fixtureMail("dsn.eml"));
    expect(mail.report).toEqual({
      kind: "delivery-status",
      originalMessageId: "matrix.sortant1@cpts-grand-douai.mssante.test",
      recipients: [
        {
          recipient: "inconnu@medecin.mssante.test",
          action: "failed",
          status: "5.1.1",
          diagnostic: expect.stringContaining("550 5.1.1") as unknown as string,
        },
      ],
    });
  });

  it("recognises a read receipt", async () => {
    const mail = await parseMail(fixtureMail("mdn.eml"));
    expect(mail.report).toEqual({
      kind: "read-receipt",
      originalMessageId: "matrix.sortant1@cpts-grand-douai.mssante.test",
      recipient: "alice.martin-lefort@medecin.mssante.test",
      disposition: "displayed",
    });
  });

  it("reads the X-MSS-INS header", async () => {
    const source = Buffer.concat([Buffer.from("X-MSS-INS: 2900175 12345612\r\n"), fixtureMail("plain-letter.eml")]);
    expect((await parseMail(source)).patientIdHeader).toBe("290017512345612");
  });
});
