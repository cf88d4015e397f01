import type { Reply } from "../../../bots/core/commands/command.ts";
import { localize, type Lang } from "../../../bots/core/i18n/lang.ts";
import type { InboundMail, MailAddress } from "../mail/inbound-mail.ts";
import type { MailReport } from "../mail/report.ts";
import { MSSANTE_MESSAGES as M } from "../messages.ts";
import type { ZipRefusal } from "../xdm/unpack.ts";
import { documentTypeLabel } from "../xdm/document-types.ts";
import type { MailNote, MailPlan, VerifiedDocument } from "./mail-plan.ts";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function formatSize(bytes: number, lang: Lang): string {
  const unit = lang === "fr" ? ["o", "Ko", "Mo", "Go"] : ["B", "KB", "MB", "GB"];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < unit.length - 1) {
    value /= 1024;
    i++;
  }
  const shown = i === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return `${lang === "fr" ? shown.replace(".", ",") : shown} ${unit[i]}`;
}

function person(address: MailAddress): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

const REFUSALS: Record<ZipRefusal, { fr: string; en: string }> = {
  "unsafe-path": M.zipUnsafePath,
  "too-many-entries": M.zipTooMany,
  "too-large": M.zipTooLarge,
  "compression-ratio": M.zipRatio,
  unreadable: M.zipUnreadable,
};

export function renderNote(note: MailNote, lang: Lang, context: { uploadLimitBytes: number; processedFolder: string }): string {
  switch (note.kind) {
    case "not-carried":
      return localize(M.notCarried, lang, {
        limit: formatSize(context.uploadLimitBytes, lang),
        names: note.names.map((n) => `${n.fileName} (${formatSize(n.size, lang)})`).join(", "),
        folder: context.processedFolder,
      });
    case "text-truncated":
      return localize(M.textTruncated, lang);
    case "html-dropped":
      return localize(M.htmlDropped, lang);
    case "remote-images":
      return localize(M.remoteImagesBlocked, lang, { count: note.count });
    case "xdm-verified":
      return [localize(M.xdmVerified, lang, { zip: note.zip, count: note.documents.length }), ...note.documents.map((doc) => `• ${describeDocument(doc, lang)}`)].join("\n");
    case "zip-refused":
      return localize(M.zipRefused, lang, { zip: note.zip, reason: localize(REFUSALS[note.reason], lang) });
    case "xdm-problem": {
      const template = { "hash-mismatch": M.xdmHashMismatch, "size-mismatch": M.xdmSizeMismatch, "missing-document": M.xdmMissing, "bad-metadata": M.xdmBadMetadata }[note.problem.kind];
      return localize(template, lang, { zip: note.zip, document: note.problem.document });
    }
  }
}

/** `DOC0001.XML — Lettre de liaison de sortie (LOINC 11490-0) : « title »`, from METADATA.XML. */
function describeDocument(doc: VerifiedDocument, lang: Lang): string {
  const type = doc.type ? documentTypeLabel(doc.type, lang) : localize(M.xdmTypeUnknown, lang);
  const title = doc.title?.trim();
  return title ? localize(M.xdmDocumentLine, lang, { file: doc.fileName, type, title }) : `${doc.fileName} — ${type}`;
}

export interface RenderContext {
  readonly lang: Lang;
  readonly uploadLimitBytes: number;
  readonly processedFolder: string;
  /** A line saying why the mail is in this room (case link, triage), if any. */
  readonly routeLine: string | undefined;
}

/** The room message of a received mail: who, to whom, subject, the text (or sanitised HTML), notes. */
export function renderMail(mail: InboundMail, plan: MailPlan, context: RenderContext): Reply {
  const { lang } = context;
  const subject = mail.subject.trim() || localize(M.noSubject, lang);
  const headerLines: [string, string][] = [
    [localize(M.from, lang), mail.from ? person(mail.from) : "?"],
    [localize(M.to, lang), mail.to.map(person).join(", ")],
    ...(mail.cc.length > 0 ? ([[localize(M.cc, lang), mail.cc.map(person).join(", ")]] as [string, string][]) : []),
    [localize(M.subject, lang), subject],
  ];
  const attachmentNames = plan.files.map((f) => (f.contentType === "message/rfc822" && f.fileName.endsWith(".eml") ? localize(M.originalMail, lang) : f.fileName));
  const notes = [
    ...plan.notes.map((n) => renderNote(n, lang, context)),
    ...(attachmentNames.length > 0 ? [localize(M.attachmentsFollow, lang, { names: attachmentNames.join(", ") })] : []),
  ];
  const body = plan.text?.trim() || localize(M.noText, lang);

  const text = [
    `✉️ ${subject}`,
    ...headerLines.map(([k, v]) => `${k} : ${v}`),
    ...(context.routeLine ? [context.routeLine] : []),
    "",
    body,
    ...(notes.length > 0 ? ["", ...notes] : []),
  ].join("\n");
  const html = [
    `<p><strong>✉️ ${escapeHtml(subject)}</strong><br>`,
    headerLines.map(([k, v]) => `<em>${escapeHtml(k)}</em> : ${escapeHtml(v)}`).join("<br>"),
    context.routeLine ? `<br><em>${escapeHtml(context.routeLine)}</em>` : "",
    "</p><hr>",
    plan.html ?? `<p>${escapeHtml(body).replace(/\r?\n/g, "<br>")}</p>`,
    notes.length > 0 ? `<hr><p>${notes.map((note) => escapeHtml(note).replace(/\n/g, "<br>")).join("<br>")}</p>` : "",
  ].join("");
  return { text, html };
}

/** The notice a delivery report or read receipt becomes, on the original mail. */
export function renderReport(report: MailReport, lang: Lang): string {
  if (report.kind === "read-receipt") {
    const recipient = report.recipient ?? localize(M.unknownRecipient, lang);
    return report.disposition === "displayed"
      ? localize(M.mdnDisplayed, lang, { recipient })
      : localize(M.mdnOther, lang, { recipient, disposition: report.disposition });
  }
  if (report.recipients.length === 0) return localize(M.dsnEmpty, lang);
  return report.recipients
    .map((r) => {
      const detail = [r.status, r.diagnostic].filter(Boolean).join(" — ");
      const params = { recipient: r.recipient, action: r.action, detail: detail ? ` (${detail})` : "" };
      if (r.action === "failed") return localize(M.dsnFailed, lang, params);
      if (r.action === "delayed") return localize(M.dsnDelayed, lang, params);
      if (r.action === "delivered" || r.action === "relayed") return localize(M.dsnDelivered, lang, params);
      return localize(M.dsnOther, lang, params);
    })
    .join("\n");
}
