import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { MailboxCredentials, MailboxOptions } from "../options.ts";
import type { ComposedMail } from "../outbound/compose.ts";

/** What the operator's submission server said. `answer` is its reply line (no mail content). */
export type SubmitOutcome =
  | { readonly kind: "sent"; readonly answer: string }
  | { readonly kind: "temporary"; readonly answer: string }
  | { readonly kind: "permanent"; readonly answer: string };

/** What the outbound side needs from SMTP. */
export interface MailSubmitter {
  submit(mail: ComposedMail): Promise<SubmitOutcome>;
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  message: string;
}

/** 4xx and network trouble are worth retrying; 5xx is the server's final word. */
export function classifySmtpError(err: SmtpError): SubmitOutcome {
  const answer = (err.response ?? err.message).split(/\r?\n/)[0]!.slice(0, 300);
  if (err.responseCode !== undefined) return err.responseCode >= 500 ? { kind: "permanent", answer } : { kind: "temporary", answer };
  return { kind: "temporary", answer: err.code ? `${err.code}: ${answer}` : answer };
}

/** SMTP submission from one mailbox (nodemailer), authenticated by client certificate or token. */
export class SmtpSubmitter implements MailSubmitter {
  private readonly options: MailboxOptions;
  private readonly credentials: MailboxCredentials;

  constructor(options: MailboxOptions, credentials: MailboxCredentials) {
    this.options = options;
    this.credentials = credentials;
  }

  async submit(mail: ComposedMail): Promise<SubmitOutcome> {
    const transport = this.transport();
    try {
      const info = await transport.sendMail({
        envelope: { from: mail.envelope.from, to: [...mail.envelope.to] },
        from: mail.from,
        to: [...mail.to],
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        date: mail.date,
        attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        headers: { ...mail.headers },
      });
      return { kind: "sent", answer: String(info.response ?? "") };
    } catch (err) {
      return classifySmtpError(err as SmtpError);
    } finally {
      transport.close();
    }
  }

  /** A fresh connection per mail: a renewed token or certificate is used at once, and no socket idles. */
  private transport(): Transporter {
    const { smtp } = this.options;
    const { certificate, ca, token, login } = this.credentials;
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.implicitTls,
      requireTLS: true,
      tls: { ...(ca ? { ca } : {}), ...(certificate ? { cert: certificate.cert, key: certificate.key } : {}), minVersion: "TLSv1.2" },
      ...(token ? { auth: { type: "OAuth2", user: login, accessToken: token() } } : {}),
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
    } as SMTPTransport.Options);
  }
}
