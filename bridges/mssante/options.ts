import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, readSecret } from "../../bots/core/config.ts";
import { filePath } from "../../bots/core/options-schema.ts";

const address = z.email("an e-mail address like cpts@cpts.mssante.fr").transform((a) => a.toLowerCase());
const port = z.number().int().min(1).max(65535);

const CertificateAuth = z
  .object({
    method: z.literal("certificate").describe("TLS client certificate (application or organisation mailbox)"),
    certFile: filePath("PEM certificate issued for the mailbox"),
    keyFile: filePath("PEM private key of that certificate"),
    login: z.string().min(1).optional().describe("IMAP login, default the mailbox address (the password sent carries no secret: the certificate authenticates)"),
  })
  .strict();

const TokenAuth = z
  .object({
    method: z.literal("token").describe("a person's bearer token (OAUTHBEARER / XOAUTH2), e.g. from Pro Santé Connect"),
    tokenFile: filePath("file holding the current token; read again at each connection, so a renewal needs no restart"),
    login: z.string().min(1).optional().describe("login, default the mailbox address"),
  })
  .strict();

const MailboxSchema = z
  .object({
    address: address.describe("the MSSanté mailbox the bridge reads and sends from"),
    imap: z.object({ host: z.string().min(1), port: port.default(993) }).strict().describe("IMAP over TLS (implicit TLS)"),
    smtp: z
      .object({
        host: z.string().min(1),
        port: port.default(465),
        implicitTls: z.boolean().default(true).describe("true: TLS from the first byte (port 465); false: STARTTLS, required (port 587)"),
      })
      .strict()
      .describe("SMTP submission"),
    auth: z.discriminatedUnion("method", [CertificateAuth, TokenAuth]),
    caFile: filePath("CA certificates the operator's servers are checked against (default: the system's)").optional(),
    processedFolder: z.string().min(1).default("Processed").describe("where bridged mails are moved once Matrix has them"),
  })
  .strict();

export const MssanteOptionsSchema = z
  .object({
    mailboxes: z.array(MailboxSchema).min(1).describe("the mailboxes to bridge; the first one sends `!mail`"),
    patientKeyFile: filePath("a long random secret: patient identifiers linking case rooms are kept only as keyed hashes"),
    uploadLimitBytes: z.number().int().positive().optional().describe("largest file to upload; default the homeserver's m.upload.size"),
    composeSeconds: z.number().min(0).default(20).describe("a mail written in Matrix leaves this long after its author's last message in the thread (text and files sent together make one mail)"),
    draftWaitSeconds: z.number().min(1).default(600).describe("how long `!mail <address>` without text waits for its text"),
    resyncSeconds: z.number().min(1).default(60).describe("full resynchronisation of each mailbox besides IMAP IDLE"),
    retry: z
      .object({
        firstDelaySeconds: z.number().min(0).default(60).describe("wait after a first temporary SMTP failure (4xx), doubled each time"),
        maxDelaySeconds: z.number().min(1).default(3600),
        giveUpHours: z.number().positive().default(48).describe("a mail still deferred after this long is reported as not sent"),
      })
      .strict()
      .default({ firstDelaySeconds: 60, maxDelaySeconds: 3600, giveUpHours: 48 }),
  })
  .strict();

export type MssanteOptions = z.infer<typeof MssanteOptionsSchema>;
export type MailboxOptions = MssanteOptions["mailboxes"][number];

/** The TLS material and login of a mailbox, read from its files. */
export interface MailboxCredentials {
  readonly login: string;
  readonly ca: Buffer | undefined;
  readonly certificate: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  /** Read at each connection (tokens are renewed outside the bridge). */
  readonly token: (() => string) | undefined;
}

/** Reads every file the options name, at start: a missing or unreadable one stops the bridge with its key. */
export function loadCredentials(mailbox: MailboxOptions, index: number, botId: string): MailboxCredentials {
  const key = (name: string): string => `bots.${botId}.options.mailboxes.${index}.${name}`;
  const ca = mailbox.caFile ? readFile(mailbox.caFile, key("caFile")) : undefined;
  if (mailbox.auth.method === "certificate") {
    return {
      login: mailbox.auth.login ?? mailbox.address,
      ca,
      certificate: { cert: readFile(mailbox.auth.certFile, key("auth.certFile")), key: readFile(mailbox.auth.keyFile, key("auth.keyFile")) },
      token: undefined,
    };
  }
  const tokenFile = mailbox.auth.tokenFile;
  readSecret(tokenFile, key("auth.tokenFile"));
  return { login: mailbox.auth.login ?? mailbox.address, ca, certificate: undefined, token: () => readSecret(tokenFile, key("auth.tokenFile")) };
}

function readFile(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
