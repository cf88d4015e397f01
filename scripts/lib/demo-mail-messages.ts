// The invented mails `npm run demo:mail` delivers to the demo's MSSanté mailbox, as an
// operator's MTA would: a colleague's letter to the CPTS (the coordinator's triage room) and a
// hospital's discharge letter with an IHE XDM package for the demo GP (their direct chat with
// the bridge). Invented people, a fictitious INS; fresh Message-IDs each time.
import { randomBytes } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { buildXdmPackage } from "../../bridges/mssante/xdm/build.ts";
import { INS_NIR_OID } from "../../bridges/mssante/xdm/cda.ts";
import { LOINC_OID } from "../../bridges/mssante/xdm/document-types.ts";
import { DEMO_PROFESSIONALS } from "../demo/demo-directory.ts";

const demoGp = DEMO_PROFESSIONALS.find((p) => p.localpart === "dr.dupont" && p.mssante)!;

/** The demo's mail addresses: the CPTS mailbox the bridge reads, the demo GP's, and two outside correspondents. */
export const DEMO_MAIL_ADDRESSES = {
  cpts: "cpts@cpts-grand-douai.mssante.localhost",
  gp: { name: `Dr ${demoGp.firstName} ${demoGp.lastName}`, address: demoGp.mssante!, localpart: demoGp.localpart! },
  colleague: { name: "Dr Alice Martin-Lefort", address: "alice.martin-lefort@medecin.mssante.localhost" },
  hospital: { name: "Secrétariat cardiologie — CH de Valmont", address: "secretariat.cardio@ch-valmont.mssante.localhost" },
} as const;

/** A fictitious patient: a well-formed INS that belongs to nobody. */
const PATIENT = { given: "Jeanne", family: "Exemple", birthDate: "19290101", ins: "290017512345612" } as const;

export interface DemoMailMessage {
  /** What it is and where it should appear, for the person running the demo. */
  readonly label: string;
  readonly subject: string;
  /** Envelope recipient: the CPTS mailbox, as the operator delivers to it. */
  readonly deliverTo: string;
  readonly raw: Buffer;
}

const messageId = (domain: string): string => `<demo-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}@${domain}>`;

export interface DischargeLetterFacts {
  readonly documentId: string;
  readonly patient: { readonly given: string; readonly family: string; readonly birthDate: string; readonly ins: string };
  readonly synthesis: string;
  /** HL7 TS, e.g. 20261119170000+0100. */
  readonly effectiveTime?: string;
}

/** A discharge letter (LOINC 11490-0) as an HL7 CDA R2 document with a short structured body. */
export function dischargeLetterCdaOf(facts: DischargeLetterFacts): Buffer {
  const effectiveTime = facts.effectiveTime ? `\n  <effectiveTime value="${facts.effectiveTime}"/>` : "";
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="1.2.250.1.999.1.1" extension="${facts.documentId}"/>
  <code code="11490-0" codeSystem="${LOINC_OID}" displayName="Lettre de liaison à la sortie d'un établissement de santé"/>
  <title>Lettre de liaison de sortie — cardiologie</title>${effectiveTime}
  <recordTarget>
    <patientRole>
      <id root="${INS_NIR_OID}" extension="${facts.patient.ins}"/>
      <patient>
        <name><given>${facts.patient.given}</given><family>${facts.patient.family}</family></name>
        <birthTime value="${facts.patient.birthDate}"/>
      </patient>
    </patientRole>
  </recordTarget>
  <component><structuredBody><component><section>
    <title>Synthèse</title>
    <text>${facts.synthesis}</text>
  </section></component></structuredBody></component>
</ClinicalDocument>
`,
    "utf8",
  );
}

const dischargeLetterCda = (): Buffer =>
  dischargeLetterCdaOf({
    documentId: "DEMO-LDL-0001",
    patient: PATIENT,
    synthesis: "Hospitalisation pour décompensation cardiaque. Retour à domicile ; pesée quotidienne, passage infirmier, consultation de contrôle à un mois.",
  });

export async function demoMailMessages(): Promise<DemoMailMessage[]> {
  const { cpts, gp, colleague, hospital } = DEMO_MAIL_ADDRESSES;
  const letterSubject = "Demande de passages infirmiers pour Mme Exemple";
  const letter = await new MailComposer({
    from: colleague,
    to: cpts,
    subject: letterSubject,
    messageId: messageId("medecin.mssante.localhost"),
    text: `Bonjour,\n\nMme ${PATIENT.given} ${PATIENT.family} rentre à domicile demain. Pouvez-vous trouver une infirmière pour un passage quotidien (surveillance du poids et des œdèmes) ?\n\nBien confraternellement,\n${colleague.name}`,
  })
    .compile()
    .build();

  const cda = dischargeLetterCda();
  const xdm = await buildXdmPackage({
    documents: [{ data: cda, mimeType: "text/xml", title: "Lettre de liaison de sortie — cardiologie", type: { code: "11490-0", codingScheme: LOINC_OID, displayName: "Lettre de liaison à la sortie d'un établissement de santé" } }],
    patient: { id: PATIENT.ins, oid: INS_NIR_OID },
    author: hospital.address,
    submittedAt: new Date(),
  });
  const dischargeSubject = "Lettre de liaison de sortie";
  const discharge = await new MailComposer({
    from: hospital,
    to: { name: gp.name, address: gp.address },
    subject: dischargeSubject,
    messageId: messageId("ch-valmont.mssante.localhost"),
    text: `Docteur,\n\nVeuillez trouver la lettre de liaison de sortie de votre patiente, Mme ${PATIENT.given} ${PATIENT.family}.\n\nLe secrétariat de cardiologie`,
    attachments: [{ filename: "IHE_XDM.ZIP", content: xdm, contentType: "application/zip" }],
    headers: { "X-MSS-INS": PATIENT.ins },
  })
    .compile()
    .build();

  return [
    { label: `lettre de ${colleague.name} à la CPTS → salon « MSSanté — à trier » de la coordinatrice`, subject: letterSubject, deliverTo: cpts, raw: letter },
    { label: `lettre de liaison de sortie (paquet IHE XDM) pour ${gp.name} → sa conversation avec la passerelle MSSanté`, subject: dischargeSubject, deliverTo: cpts, raw: discharge },
  ];
}
