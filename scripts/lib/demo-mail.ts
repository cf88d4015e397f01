// The demo's MSSanté operator, started by `npm start`: a local Dovecot holding the CPTS
// mailbox (the bridge logs in with a client certificate, as an application mailbox does) and
// a submission stand-in that writes every mail the bridge sends to data/demo-mail/outbox/ as
// an .eml file, instead of sending it anywhere. `npm run demo:mail` delivers invented mail.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DEMO_CPTS_NAME } from "../demo/demo-cpts.ts";
import { DEMO_MAIL_ADDRESSES } from "./demo-mail-messages.ts";
import { dovecotInstalled, startDovecot } from "./dovecot.ts";
import { startSubmissionServer } from "./mail-submission.ts";

/** The `mail` section of data/demo.json. */
export interface DemoMailDescription {
  /** The CPTS mailbox the bridge reads and sends from. */
  readonly mailbox: string;
  /** MSSanté address → who has it in the demo. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Where the mail the bridge sends is written (one .eml file each). */
  readonly outbox: string;
  readonly imapsPort: number;
  /** Where `npm run demo:mail` delivers (LMTP, as an operator's MTA does). */
  readonly lmtpPort: number;
  readonly submissionPort: number;
}

/** A bot of the demo (same shape as DEMO_BOTS' entries). */
export interface DemoBotSpec {
  readonly localpart: string;
  readonly displayName: string;
  readonly settings: (serverName: string) => Record<string, unknown>;
}

export interface DemoMail {
  /** What seedDemo adds: the bridge's account and options, and demo.json's mail section; empty without Dovecot. */
  readonly seed: { readonly bots?: Record<string, DemoBotSpec>; readonly mail?: DemoMailDescription };
  /** Lines for the welcome text. */
  welcome(): string[];
  stop(): Promise<void>;
}

export const DEMO_MAIL_BRIDGE = "mssante";
/** The bridge's account in the demo (the policy module lists it among the bots: synapse-config/local.yaml). */
export const DEMO_MAIL_BRIDGE_LOCALPART = "mssante";

export async function startDemoMail(dataDir: string): Promise<DemoMail> {
  if (!dovecotInstalled()) {
    return {
      seed: {},
      welcome: () => ["  Passerelle MSSanté : absente de cette démo, Dovecot n'est pas installé (en root : bash scripts/install-dovecot.sh)."],
      stop: async () => {},
    };
  }
  const { cpts, gp, colleague, hospital } = DEMO_MAIL_ADDRESSES;
  const outbox = join(dataDir, "demo-mail", "outbox");
  mkdirSync(outbox, { recursive: true, mode: 0o700 });
  const secretsDir = join(dataDir, "secrets");
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const patientKey = join(secretsDir, "mssante-patient.key");
  if (!existsSync(patientKey)) writeFileSync(patientKey, randomBytes(32).toString("base64url"), { mode: 0o600 });

  const dovecot = await startDovecot({ certificateMailboxes: [cpts] });
  let sent = 0;
  const submission = await startSubmissionServer({
    pki: dovecot.pki,
    async accept(mail) {
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(++sent).padStart(3, "0")}.eml`;
      writeFileSync(join(outbox, name), mail.raw, { mode: 0o600 });
    },
  }).catch(async (err: unknown) => {
    await dovecot.dispose();
    throw err;
  });
  const certificate = dovecot.pki.clientCertificate(cpts);
  const mail: DemoMailDescription = {
    mailbox: cpts,
    addresses: {
      [cpts]: `${DEMO_CPTS_NAME} (the bridge's mailbox)`,
      [gp.address]: `${gp.name}, demo account @${gp.localpart}`,
      [colleague.address]: `${colleague.name}, outside correspondent`,
      [hospital.address]: `${hospital.name}, outside correspondent`,
    },
    outbox,
    imapsPort: dovecot.imapsPort,
    lmtpPort: dovecot.lmtpPort,
    submissionPort: submission.port,
  };
  const bridge: DemoBotSpec = {
    localpart: DEMO_MAIL_BRIDGE_LOCALPART,
    displayName: "Messagerie MSSanté (passerelle)",
    settings: () => ({
      options: {
        mailboxes: [
          {
            address: cpts,
            imap: { host: dovecot.host, port: dovecot.imapsPort },
            smtp: { host: submission.host, port: submission.port, implicitTls: true },
            auth: { method: "certificate", certFile: certificate.certFile, keyFile: certificate.keyFile },
            caFile: dovecot.pki.caFile,
          },
        ],
        // Relative to the configuration's folder (data/).
        patientKeyFile: relative(dataDir, patientKey),
        // A demo answer leaves 5 s after its author's last message (20 s in production).
        composeSeconds: 5,
      },
    }),
  };
  return {
    seed: { bots: { [DEMO_MAIL_BRIDGE]: bridge }, mail },
    welcome: () => [
      `  Passerelle MSSanté : la boîte de la CPTS ${cpts} est chez un opérateur local de démonstration (Dovecot).`,
      "    Connectée comme coordinatrice, acceptez d'abord l'invitation de la passerelle au salon « MSSanté — à trier », puis",
      "    npm run demo:mail   dépose deux courriers inventés : une lettre pour la CPTS (salon « MSSanté — à trier »)",
      `                        et une lettre de liaison de sortie pour ${gp.name} (sa conversation avec la passerelle).`,
      "                        Répondez dans le fil du courrier dans Element : la réponse part par SMTP et arrive",
      `                        dans ${relative(process.cwd(), outbox) || outbox}/ sous forme de fichier .eml.`,
    ],
    async stop() {
      await submission.close();
      await dovecot.dispose();
    },
  };
}
