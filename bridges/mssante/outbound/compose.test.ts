import { describe, expect, it } from "vitest";
import type { MessageId } from "../mail/message-id.ts";
import { classifySmtpError } from "../smtp/submitter.ts";
import { readXdmPackage } from "../xdm/unpack.ts";
import { composeMail, replySubject, splitCommandText } from "./compose.ts";

const cda = Buffer.from(`<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Compte rendu</title>
<recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="290017512345612"/></patientRole></recordTarget></ClinicalDocument>`);
const base = {
  mailbox: "cpts@cpts.test",
  fromName: "Dr Paul Durand — CPTS Test",
  recipients: ["dr.b@medecin.test"],
  messageId: "matrix.abc@cpts.test" as MessageId,
  subject: undefined,
  date: new Date("2026-11-20T10:00:00Z"),
};

describe("composeMail", () => {
  it("answers a mail with Re:, In-Reply-To and the whole References chain", async () => {
    const mail = await composeMail({
      ...base,
      answering: { messageId: "orig@x.test", subject: "Mme Exemple", references: ["first@x.test"] },
      parts: [{ kind: "text", text: "Bien reçu." }, { kind: "text", text: "Passage demain." }],
    });
    expect(mail).toMatchObject({
      subject: "Re: Mme Exemple",
      inReplyTo: "<orig@x.test>",
      references: "<first@x.test> <orig@x.test>",
      messageId: "<matrix.abc@cpts.test>",
      text: "Bien reçu.\n\nPassage demain.\n",
      envelope: { from: "cpts@cpts.test", to: ["dr.b@medecin.test"] },
      headers: {},
    });
  });

  it("attaches files as they are, and packs a CDA document in an IHE XDM zip with the patient header", async () => {
    const pdf = Buffer.from("%PDF-1.4 fake");
    const mail = await composeMail({
      ...base,
      answering: undefined,
      subject: "Compte rendu",
      parts: [
        { kind: "text", text: "Ci-joint." },
        { kind: "file", fileName: "cr.pdf", contentType: "application/pdf", data: pdf },
        { kind: "file", fileName: "cr.xml", contentType: "text/xml", data: cda },
      ],
    });
    expect(mail.subject).toBe("Compte rendu");
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.headers).toEqual({ "X-MSS-INS": "290017512345612" });
    expect(mail.attachments.map((a) => a.filename)).toEqual(["cr.pdf", "IHE_XDM.ZIP"]);
    const reading = await readXdmPackage(mail.attachments[1]!.content);
    expect(reading).toMatchObject({ kind: "package", patientIds: ["290017512345612"], problems: [] });
    if (reading.kind === "package") expect(reading.documents[0]!.data.equals(cda)).toBe(true);
  });
});

describe("replySubject", () => {
  it("adds Re: once", () => {
    expect(replySubject("Bilan")).toBe("Re: Bilan");
    expect(replySubject("RE: Bilan")).toBe("RE: Bilan");
    expect(replySubject("Réf : Bilan")).toBe("Réf : Bilan");
  });
});

describe("splitCommandText", () => {
  it("takes the first of several lines as the subject", () => {
    expect(splitCommandText("Mme Exemple\nBonjour,\nmerci.")).toEqual({ subject: "Mme Exemple", body: "Bonjour,\nmerci." });
    expect(splitCommandText("Bonjour, merci.")).toEqual({ subject: undefined, body: "Bonjour, merci." });
  });
});

describe("classifySmtpError", () => {
  it("retries 4xx and network errors, gives up on 5xx", () => {
    expect(classifySmtpError({ responseCode: 451, response: "451 4.3.0 try later", message: "x" })).toEqual({ kind: "temporary", answer: "451 4.3.0 try later" });
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.1 unknown user", message: "x" })).toEqual({ kind: "permanent", answer: "550 5.1.1 unknown user" });
    expect(classifySmtpError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }).kind).toBe("temporary");
  });
});
