// The submission stand-in (scripts/lib/mail-submission.ts) as the MSSanté tests use it:
// accepted mail is relayed into the test Dovecot by LMTP and kept for inspection, and a test
// can make it answer temporary (4xx) or permanent (5xx) failures.
import nodemailer from "nodemailer";
import type { LocalDovecot } from "../../scripts/lib/dovecot.ts";
import { SmtpAnswer, startSubmissionServer, type SubmissionStage, type SubmittedMail } from "../../scripts/lib/mail-submission.ts";

export type Submitted = SubmittedMail;
export type FailureStage = SubmissionStage;

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

export async function startSubmission(dovecot: LocalDovecot, options: SubmissionOptions = {}): Promise<TestSubmission> {
  const submitted: Submitted[] = [];
  const failures: Failure[] = [];
  const lmtp = nodemailer.createTransport({ host: dovecot.host, port: dovecot.lmtpPort, lmtp: true, secure: false, ignoreTLS: true } as never);
  const server = await startSubmissionServer({
    pki: dovecot.pki,
    tokens: options.tokens,
    answerAt(stage) {
      const next = failures[0];
      if (!next || next.stage !== stage) return undefined;
      failures.shift();
      return new SmtpAnswer(next.code, next.message);
    },
    async accept(mail) {
      await lmtp.sendMail({ envelope: { from: mail.from, to: [...mail.to] }, raw: mail.raw });
      submitted.push(mail);
    },
  });
  return {
    host: server.host,
    port: server.port,
    submitted,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    close: () => server.close(),
  };
}
