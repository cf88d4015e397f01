// Synthetic MSSanté mails (invented people, fictitious INS, `.test` domains), written as
// raw MIME so each case has exactly the bytes a real operator would deliver: charsets,
// transfer encodings, multipart/report for bounces and read receipts, IHE XDM packages.
// test/fixtures/mssante/build-fixtures.ts writes them to files for the unit tests.
import { randomBytes } from "node:crypto";
import { buildXdmPackage } from "../../bridges/mssante/xdm/build.ts";
import { INS_NIR_OID } from "../../bridges/mssante/xdm/cda.ts";
import { LOINC_OID } from "../../bridges/mssante/xdm/document-types.ts";
import { zipFiles } from "../../bots/directory/fixtures/zip-writer.ts";
import { dischargeLetterCdaOf } from "../../scripts/lib/demo-mail-messages.ts";

export const PEOPLE = {
  gp: { name: "Dr Alice Martin-Lefort", address: "alice.martin-lefort@medecin.mssante.test" },
  cardiology: { name: "Secrétariat cardiologie — CH de Valmont", address: "secretariat.cardio@ch-valmont.mssante.test" },
  nurse: { name: "Bruno Caradec (IDE)", address: "bruno.caradec@infirmier.mssante.test" },
  mailerDaemon: { name: "Mail Delivery System", address: "mailer-daemon@mssante.test" },
} as const;

/** A fictitious patient: the INS is well-formed but belongs to nobody. */
export const PATIENT = { name: "Jeanne Exemple", birthDate: "19290101", ins: "290017512345612" } as const;

export const DEFAULT_MAILBOX = "cpts@cpts-grand-douai.mssante.test";

interface Part {
  readonly headers: readonly string[];
  readonly body: Buffer;
}

const CRLF = "\r\n";

function part(headers: readonly string[], body: Buffer | string): Part {
  return { headers, body: typeof body === "string" ? Buffer.from(body, "utf8") : body };
}

function quotedPrintable(text: string, charset: BufferEncoding = "utf8"): string {
  const bytes = Buffer.from(text.replace(/\r?\n/g, "\n"), charset);
  let out = "";
  let line = "";
  for (const byte of bytes) {
    if (byte === 0x0a) {
      out += `${line}${CRLF}`;
      line = "";
      continue;
    }
    const encoded = (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    if (line.length + encoded.length > 73) {
      out += `${line}=${CRLF}`;
      line = "";
    }
    line += encoded;
  }
  return out + line;
}

function base64Lines(data: Buffer): string {
  return (data.toString("base64").match(/.{1,76}/g) ?? []).join(CRLF);
}

export function textPart(text: string): Part {
  return part(["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"], quotedPrintable(text));
}

function htmlPart(html: string): Part {
  return part(["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"], quotedPrintable(html));
}

export function attachmentPart(fileName: string, contentType: string, data: Buffer, disposition: "attachment" | "inline" = "attachment", contentId?: string): Part {
  return part(
    [
      `Content-Type: ${contentType}; name="${fileName}"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: ${disposition}; filename="${fileName}"`,
      ...(contentId ? [`Content-ID: <${contentId}>`] : []),
    ],
    base64Lines(data),
  );
}

function multipart(subtype: string, parts: readonly Part[], extraParams = ""): Part {
  const boundary = `=_cpts_${randomBytes(6).toString("hex")}`;
  const body = Buffer.concat([
    ...parts.flatMap((p) => [Buffer.from(`--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}`), p.body, Buffer.from(CRLF)]),
    Buffer.from(`--${boundary}--${CRLF}`),
  ]);
  return part([`Content-Type: multipart/${subtype}; boundary="${boundary}"${extraParams}`], body);
}

export interface Envelope {
  readonly from?: { name: string; address: string };
  readonly to?: string;
  readonly subject: string;
  readonly messageId: string;
  readonly date?: Date;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly extraHeaders?: readonly string[];
}

function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

/** The whole mail: top headers, then the MIME body. */
export function mail(envelope: Envelope, content: Part): Buffer {
  const from = envelope.from ?? PEOPLE.gp;
  const headers = [
    `From: ${encodedWord(from.name)} <${from.address}>`,
    `To: <${envelope.to ?? DEFAULT_MAILBOX}>`,
    `Subject: ${encodedWord(envelope.subject)}`,
    `Date: ${(envelope.date ?? new Date("2026-11-20T09:15:00+01:00")).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${envelope.messageId}>`,
    ...(envelope.inReplyTo ? [`In-Reply-To: <${envelope.inReplyTo}>`] : []),
    ...(envelope.references?.length ? [`References: ${envelope.references.map((r) => `<${r}>`).join(" ")}`] : []),
    ...(envelope.extraHeaders ?? []),
    "MIME-Version: 1.0",
    ...content.headers,
  ];
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF + CRLF), content.body]);
}

/** A small but valid PDF; `padding` bytes of incompressible data make it as large as a scanned letter. */
export function fixturePdf(title: string, padding = 0): Buffer {
  const text = `BT /F1 12 Tf 72 720 Td (${title.replace(/[()\\]/g, "")}) Tj ET`;
  const filler = padding > 0 ? randomBytes(padding) : Buffer.alloc(0);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const head = Buffer.from(pdf, "latin1");
  const fillerObject = padding > 0 ? Buffer.concat([Buffer.from(`6 0 obj\n<< /Length ${padding} >>\nstream\n`), filler, Buffer.from("\nendstream\nendobj\n")]) : Buffer.alloc(0);
  if (padding > 0) offsets.push(head.length);
  const xrefAt = head.length + fillerObject.length;
  const count = offsets.length + 1;
  const xref = `xref\n0 ${count}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([head, fillerObject, Buffer.from(xref, "latin1")]);
}

/** A discharge letter as an HL7 CDA R2 document (structured body kept short). */
export function fixtureCda(): Buffer {
  return dischargeLetterCdaOf({
    documentId: "CRH-2026-0042",
    patient: { given: "Jeanne", family: "Exemple", birthDate: PATIENT.birthDate, ins: PATIENT.ins },
    synthesis: "Hospitalisation du 14 au 19 novembre pour décompensation cardiaque. Retour à domicile, passage IDE quotidien.",
    effectiveTime: "20261119170000+0100",
  });
}

export function plainLetter(opts: { to?: string; messageId?: string; subject?: string; body?: string; extraHeaders?: readonly string[] } = {}): Buffer {
  return mail(
    { to: opts.to, subject: opts.subject ?? "Mme Exemple — suivi à domicile", messageId: opts.messageId ?? "lettre-1@medecin.mssante.test", extraHeaders: opts.extraHeaders },
    textPart(
      opts.body ??
        "Bonjour,\n\nMme Jeanne Exemple rentre à domicile demain. Pouvez-vous organiser un passage infirmier quotidien pour la surveillance du poids et des œdèmes ?\n\nBien confraternellement,\nDr Alice Martin-Lefort",
    ),
  );
}

export function replyWithPdf(opts: { to?: string; messageId?: string; inReplyTo: string; references?: readonly string[]; pdf?: Buffer }): Buffer {
  return mail(
    {
      from: PEOPLE.nurse,
      to: opts.to,
      subject: "Re: Mme Exemple — suivi à domicile",
      messageId: opts.messageId ?? "reponse-1@infirmier.mssante.test",
      inReplyTo: opts.inReplyTo,
      references: opts.references ?? [opts.inReplyTo],
    },
    multipart("mixed", [
      textPart("Bonjour Docteur,\n\nPassages organisés à partir de jeudi. Ci-joint la fiche de surveillance.\n\nBruno Caradec, IDE"),
      attachmentPart("fiche-surveillance.pdf", "application/pdf", opts.pdf ?? fixturePdf("Fiche de surveillance - Mme Exemple")),
    ]),
  );
}

const DISCHARGE_LETTER_TYPE = { code: "11490-0", codingScheme: LOINC_OID, displayName: "Lettre de liaison à la sortie d'un établissement de santé" };

export async function xdmPackage(opts: { cda?: Buffer; patientId?: string } = {}): Promise<Buffer> {
  return buildXdmPackage({
    documents: [
      { data: opts.cda ?? fixtureCda(), mimeType: "text/xml", title: "Lettre de liaison de sortie", type: DISCHARGE_LETTER_TYPE },
      { data: fixturePdf("Lettre de liaison - version PDF"), mimeType: "application/pdf", title: "Lettre de liaison (PDF)", type: DISCHARGE_LETTER_TYPE },
    ],
    patient: { id: opts.patientId ?? PATIENT.ins, oid: INS_NIR_OID },
    author: PEOPLE.cardiology.address,
    submittedAt: new Date("2026-11-19T16:00:00Z"),
  });
}

export async function dischargeLetter(opts: { to?: string; messageId?: string; zip?: Buffer } = {}): Promise<Buffer> {
  return mail(
    { from: PEOPLE.cardiology, to: opts.to, subject: "Lettre de liaison de sortie", messageId: opts.messageId ?? "sortie-42@ch-valmont.mssante.test" },
    multipart("mixed", [
      textPart("Madame, Monsieur,\n\nVeuillez trouver la lettre de liaison de sortie de votre patiente.\n\nLe secrétariat de cardiologie"),
      attachmentPart("IHE_XDM.ZIP", "application/zip", opts.zip ?? (await xdmPackage())),
    ]),
  );
}

export function htmlWithScript(opts: { to?: string; messageId?: string } = {}): Buffer {
  const html = `<html><head><style>p{color:red}</style><script>alert("vol de session")</script></head><body>
<p onclick="steal()">Bonjour, voici le <b>planning</b> des passages.</p>
<img src="https://tracker.example.test/pixel.gif?id=42" width="1" height="1">
<img src="cid:logo-cabinet">
<p><a href="javascript:alert(1)">cliquez ici</a> ou <a href="https://www.example.test/planning">consultez le planning</a></p>
<iframe src="https://evil.example.test/"></iframe>
</body></html>`;
  return mail(
    { from: PEOPLE.nurse, to: opts.to, subject: "Planning des passages", messageId: opts.messageId ?? "html-1@infirmier.mssante.test" },
    multipart("related", [
      multipart("alternative", [textPart("Bonjour, voici le planning des passages."), htmlPart(html)]),
      attachmentPart("logo.png", "image/png", tinyPng(), "inline", "logo-cabinet"),
    ]),
  );
}

export function zipWithTraversal(opts: { to?: string; messageId?: string } = {}): Buffer {
  const zip = zipFiles([
    { name: "IHE_XDM/SUBSET01/METADATA.XML", data: Buffer.from("<SubmitObjectsRequest/>") },
    { name: "IHE_XDM/SUBSET01/../../../../etc/cron.d/evil", data: Buffer.from("* * * * * root rm -rf /\n") },
  ]);
  return mail(
    { from: PEOPLE.cardiology, to: opts.to, subject: "Documents", messageId: opts.messageId ?? "piege-1@ch-valmont.mssante.test" },
    multipart("mixed", [textPart("Documents en pièce jointe."), attachmentPart("IHE_XDM.ZIP", "application/zip", zip)]),
  );
}

export function latin1Letter(opts: { to?: string; messageId?: string } = {}): Buffer {
  const body = "Chère consœur,\n\nRésultats de l'échographie : pas d'anomalie. À revoir dans 6 mois.\n\nCordialement";
  const latin1 = body.replace("œ", "oe");
  return mail(
    {
      from: PEOPLE.cardiology,
      to: opts.to,
      subject: "=?ISO-8859-1?Q?R=E9sultats_d'=E9chographie?=",
      messageId: opts.messageId ?? "latin1-1@ch-valmont.mssante.test",
    },
    part(["Content-Type: text/plain; charset=ISO-8859-1", "Content-Transfer-Encoding: quoted-printable"], quotedPrintable(latin1, "latin1")),
  );
}

export function deliveryFailure(opts: { to?: string; messageId?: string; originalMessageId: string; failedRecipient: string }): Buffer {
  return mail(
    {
      from: PEOPLE.mailerDaemon,
      to: opts.to,
      subject: "Undelivered Mail Returned to Sender",
      messageId: opts.messageId ?? `dsn-${randomBytes(4).toString("hex")}@mssante.test`,
    },
    multipart(
      "report",
      [
        textPart(`Votre message n'a pas pu être remis à ${opts.failedRecipient}.`),
        part(
          ["Content-Type: message/delivery-status"],
          `Reporting-MTA: dns; mx.mssante.test${CRLF}Arrival-Date: Fri, 20 Nov 2026 10:00:00 +0100${CRLF}${CRLF}Final-Recipient: rfc822; ${opts.failedRecipient}${CRLF}Original-Recipient: rfc822; ${opts.failedRecipient}${CRLF}Action: failed${CRLF}Status: 5.1.1${CRLF}Diagnostic-Code: smtp; 550 5.1.1 <${opts.failedRecipient}>: Recipient address rejected: boîte inconnue${CRLF}`,
        ),
        part(["Content-Type: text/rfc822-headers"], `Message-ID: <${opts.originalMessageId}>${CRLF}Subject: (objet retiré)${CRLF}`),
      ],
      "; report-type=delivery-status",
    ),
  );
}

export function readReceipt(opts: { to?: string; messageId?: string; originalMessageId: string; reader: string }): Buffer {
  return mail(
    {
      from: { name: "Lecture", address: opts.reader },
      to: opts.to,
      subject: "Accusé de lecture",
      messageId: opts.messageId ?? `mdn-${randomBytes(4).toString("hex")}@mssante.test`,
      inReplyTo: opts.originalMessageId,
    },
    multipart(
      "report",
      [
        textPart("Votre message a été lu."),
        part(
          ["Content-Type: message/disposition-notification"],
          `Reporting-UA: mail.mssante.test${CRLF}Final-Recipient: rfc822; ${opts.reader}${CRLF}Original-Message-ID: <${opts.originalMessageId}>${CRLF}Disposition: manual-action/MDN-sent-manually; displayed${CRLF}`,
        ),
      ],
      "; report-type=disposition-notification",
    ),
  );
}

/** A 1×1 transparent PNG. */
function tinyPng(): Buffer {
  return Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
}
