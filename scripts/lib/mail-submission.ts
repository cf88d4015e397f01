// A stand-in for an MSSanté operator's submission server (npm smtp-server), for the demo and
// the tests: implicit TLS with the local CA, senders authenticated by client certificate or
// by a bearer token (XOAUTH2), each allowed to send only as itself. What is done with an
// accepted mail (relayed to Dovecot, written to an outbox folder) is the caller's.
import { readFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";
import { findFreePort } from "./free-port.ts";
import type { LocalPki } from "./mail-pki.ts";

export interface SubmittedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  /** How the sender authenticated: the certificate's CN or the token's owner. */
  readonly authenticatedAs: string;
}

export type SubmissionStage = "mail" | "rcpt" | "data";

/** An SMTP answer other than success (smtp-server reads `responseCode`). */
export class SmtpAnswer extends Error {
  readonly responseCode: number;
  constructor(code: number, message: string) {
    super(message);
    this.responseCode = code;
  }
}

export interface SubmissionServerOptions {
  readonly pki: LocalPki;
  /** Address → bearer token accepted for it (XOAUTH2). */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Takes an accepted mail; if it fails the sender is told to retry later (451). */
  accept(mail: SubmittedMail): Promise<void>;
  /** An answer to give at this stage instead of going on (the tests' temporary and permanent failures). */
  answerAt?(stage: SubmissionStage): SmtpAnswer | undefined;
}

export interface SubmissionServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  close(): Promise<void>;
}

export async function startSubmissionServer(options: SubmissionServerOptions): Promise<SubmissionServer> {
  const port = await findFreePort();
  const certificateOwners = new Map<string, string>();
  const tokenOwners = new Map(Object.entries(options.tokens ?? {}).map(([address, token]) => [token, address]));
  const authenticatedAs = (session: SMTPServerSession): string | undefined => (session.user as string | undefined) ?? certificateOwners.get(session.id);
  const answerAt = (stage: SubmissionStage): SmtpAnswer | undefined => options.answerAt?.(stage);

  const server = new SMTPServer({
    secure: true,
    key: readFileSync(options.pki.serverKeyFile),
    cert: readFileSync(options.pki.serverCertFile),
    ca: options.pki.readCa(),
    requestCert: true,
    rejectUnauthorized: false,
    authMethods: ["XOAUTH2"],
    authOptional: true,
    logger: false,
    disabledCommands: ["STARTTLS"],
    size: 50 * 1024 * 1024,
    onSecure(socket, session, callback) {
      const tls = socket as TLSSocket;
      if (tls.authorized) {
        const commonName = tls.getPeerCertificate().subject?.CN;
        if (typeof commonName === "string") certificateOwners.set(session.id, commonName);
      }
      callback();
    },
    onAuth(auth, _session, callback) {
      const owner = auth.accessToken ? tokenOwners.get(auth.accessToken) : undefined;
      if (owner && owner === auth.username) callback(null, { user: owner });
      else callback(null, { data: { status: "401", schemes: "bearer" } });
    },
    onMailFrom(address: SMTPServerAddress, session, callback) {
      const who = authenticatedAs(session);
      if (!who) return callback(new SmtpAnswer(530, "5.7.0 Authentication required (client certificate or token)"));
      if (who.toLowerCase() !== address.address.toLowerCase()) return callback(new SmtpAnswer(553, `5.7.1 ${who} may not send as ${address.address}`));
      callback(answerAt("mail"));
    },
    onRcptTo(_address, _session, callback) {
      callback(answerAt("rcpt"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const answer = answerAt("data");
        if (answer) return callback(answer);
        const mail: SubmittedMail = {
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          authenticatedAs: authenticatedAs(session) ?? "",
        };
        options.accept(mail).then(
          () => callback(null, "2.0.0 queued"),
          (err: unknown) => callback(new SmtpAnswer(451, `4.3.0 could not take the mail: ${(err as Error).message}`)),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { host: "127.0.0.1", port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
