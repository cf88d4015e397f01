// A stand-in for an MSSanté operator's submission server (npm smtp-server): implicit TLS
// with the test CA, senders authenticated by client certificate or by a bearer token
// (XOAUTH2), accepted mail relayed into the test Dovecot by LMTP. A test can make it answer
// temporary (4xx) or permanent (5xx) failures.
import { readFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";
import nodemailer from "nodemailer";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";
import { findFreePort } from "../../scripts/lib/free-port.ts";
import type { TestDovecot } from "./dovecot.ts";

export interface Submitted {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  /** How the sender authenticated: the certificate's CN or the token's owner. */
  readonly authenticatedAs: string;
}

export type FailureStage = "mail" | "rcpt" | "data";

export interface Failure {
  readonly code: number;
  readonly message: string;
  readonly stage: FailureStage;
}

export interface TestSubmission {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly submitted: Submitted[];
  /** The next `times` transactions fail with this answer (then mail is accepted again). */
  failNext(failure: Failure, times?: number): void;
  close(): Promise<void>;
}

export interface SubmissionOptions {
  /** Address → bearer token accepted for it (XOAUTH2). */
  readonly tokens?: Readonly<Record<string, string>>;
}

class SmtpAnswer extends Error {
  readonly responseCode: number;
  constructor(code: number, message: string) {
    super(message);
    this.responseCode = code;
  }
}

export async function startSubmission(dovecot: TestDovecot, options: SubmissionOptions = {}): Promise<TestSubmission> {
  const port = await findFreePort();
  const submitted: Submitted[] = [];
  const failures: Failure[] = [];
  const certificateOwners = new Map<string, string>();
  const tokenOwners = new Map(Object.entries(options.tokens ?? {}).map(([address, token]) => [token, address]));
  const lmtp = nodemailer.createTransport({ host: dovecot.host, port: dovecot.lmtpPort, lmtp: true, secure: false, ignoreTLS: true } as never);

  const failureAt = (stage: FailureStage): SmtpAnswer | undefined => {
    const next = failures[0];
    if (!next || next.stage !== stage) return undefined;
    failures.shift();
    return new SmtpAnswer(next.code, next.message);
  };
  const authenticatedAs = (session: SMTPServerSession): string | undefined => (session.user as string | undefined) ?? certificateOwners.get(session.id);

  const server = new SMTPServer({
    secure: true,
    key: readFileSync(dovecot.pki.serverKeyFile),
    cert: readFileSync(dovecot.pki.serverCertFile),
    ca: dovecot.pki.readCa(),
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
      callback(failureAt("mail"));
    },
    onRcptTo(_address, _session, callback) {
      callback(failureAt("rcpt"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const failure = failureAt("data");
        if (failure) return callback(failure);
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
        const to = session.envelope.rcptTo.map((r) => r.address);
        lmtp.sendMail({ envelope: { from, to }, raw }).then(
          () => {
            submitted.push({ from, to, raw, authenticatedAs: authenticatedAs(session) ?? "" });
            callback(null, "2.0.0 queued");
          },
          (err: unknown) => callback(new SmtpAnswer(451, `4.3.0 relay to the mailbox failed: ${(err as Error).message}`)),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    host: "127.0.0.1",
    port,
    submitted,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

