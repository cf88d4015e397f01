import type { BotDefinition } from "../../bots/core/bot-runtime.ts";
import { readSecret } from "../../bots/core/config.ts";
import { localize } from "../../bots/core/i18n/lang.ts";
import type { Logger } from "../../bots/core/logger.ts";
import { caseCommand } from "./case-command.ts";
import { MailboxWatcher } from "./imap/mailbox-watcher.ts";
import { InboundProcessor } from "./inbound/inbound-processor.ts";
import { MatrixMail } from "./matrix/matrix-mail.ts";
import { MSSANTE_MESSAGES as M } from "./messages.ts";
import { loadCredentials, MssanteOptionsSchema, type MssanteOptions } from "./options.ts";
import { OutboundIntake } from "./outbound/outbound-intake.ts";
import { OutboundSender } from "./outbound/outbound-sender.ts";
import { DIRECTORY_SCHEMA } from "../../bots/directory/migrations.ts";
import { SqliteDirectory } from "../../bots/directory/sqlite-directory.ts";
import { MSSANTE_SCHEMA } from "./migrations.ts";
import { StoreLookups } from "./routing/lookups.ts";
import { SmtpSubmitter } from "./smtp/submitter.ts";
import { CaseLinks } from "./store/case-links.ts";
import { InboundLedger } from "./store/inbound-ledger.ts";
import { MailThreads } from "./store/mail-threads.ts";
import { Outbox } from "./store/outbox.ts";

const BOT_ID = "mssante";
/**
 * A backlog makes the bridge send events back to back, and it synced once per event it sent
 * (a third of its CPU per mail, and as much work for the homeserver): synced at most twice a
 * second, each sync brings several back. Received mail is heard by IMAP, not by sync; what
 * members write is heard at most this much later, and only while the bridge is busy.
 */
const MIN_SYNC_INTERVAL_MS = 500;

/**
 * The MSSanté bridge: a client of existing MSSanté mailboxes (IMAP to read, SMTP
 * submission to send). Received mail goes to the conversation it answers, the patient's
 * case room, the addressed professional's DM, or the coordinators' triage room; what
 * members write in a mail's thread, or with `!mail`, leaves from the mailbox.
 */
export const mssanteBridge: BotDefinition<MssanteOptions> = {
  id: BOT_ID,
  optionsSchema: MssanteOptionsSchema,
  schemas: [DIRECTORY_SCHEMA, MSSANTE_SCHEMA],
  name: M.botName,
  minSyncIntervalMs: MIN_SYNC_INTERVAL_MS,
  create(services, options) {
    const credentials = options.mailboxes.map((mailbox, index) => loadCredentials(mailbox, index, BOT_ID));
    const patientKey = readSecret(options.patientKeyFile, `bots.${BOT_ID}.options.patientKeyFile`);
    const { db, clock, logger, defaultLanguage: lang } = services;
    let stopped = false;
    let invitingCoordinators: Promise<void> = Promise.resolve();
    const threads = new MailThreads(db, clock);
    const ledger = new InboundLedger(db, clock);
    const outbox = new Outbox(db, clock);
    const cases = new CaseLinks(db, clock, patientKey);
    const directory = new SqliteDirectory(db, clock, services.cpts.territory);
    const matrix = new MatrixMail({
      client: services.matrix,
      messenger: services.messenger,
      db,
      clock,
      botId: BOT_ID,
      triage: { name: localize(M.triageRoomName, lang), topic: localize(M.triageRoomTopic, lang), coordinators: services.cpts.coordinators },
      uploadLimitBytes: options.uploadLimitBytes,
    });
    const addresses = options.mailboxes.map((m) => m.address);
    const watchers = options.mailboxes.map(
      (mailbox, index) =>
        new MailboxWatcher({
          options: mailbox,
          credentials: credentials[index]!,
          resyncMs: options.resyncSeconds * 1000,
          logger,
          intake: new InboundProcessor({
            ledger,
            threads,
            lookups: new StoreLookups({ directory, threads, cases, mailbox: mailbox.address, isJoined: (roomId) => matrix.isJoined(roomId) }),
            matrix,
            lang,
            mailboxes: addresses,
            processedFolder: mailbox.processedFolder,
            logger,
          }),
        }),
    );
    const sender = new OutboundSender({
      outbox,
      threads,
      matrix,
      submitters: new Map(options.mailboxes.map((mailbox, index) => [mailbox.address, new SmtpSubmitter(mailbox, credentials[index]!)])),
      clock,
      logger,
      lang,
      organisationName: services.cpts.name,
      retry: { firstDelayMs: options.retry.firstDelaySeconds * 1000, maxDelayMs: options.retry.maxDelaySeconds * 1000, giveUpMs: options.retry.giveUpHours * 3_600_000 },
    });
    const intake = new OutboundIntake({
      outbox,
      threads,
      matrix,
      clock,
      logger,
      defaultMailbox: addresses[0]!,
      composeMs: options.composeSeconds * 1000,
      draftWaitMs: options.draftWaitSeconds * 1000,
      onDraftChanged: () => sender.kick(),
    });
    return {
      commands: [
        {
          name: "mail",
          aliases: ["courriel"],
          summary: M.mailSummary,
          params: [
            { name: "adresse", description: M.mailAddressParam },
            { name: "texte", description: M.mailTextParam, optional: true, rest: true },
          ],
          examples: ["!mail dr.martin@medecin.mssante.fr Bonjour, le compte rendu suit.", "!mail secretariat@ch-exemple.mssante.fr"],
          execute: (ctx, args) => intake.openMail(ctx, args["adresse"] ?? "", args["texte"] ?? ""),
        },
        caseCommand(cases, addresses[0]!),
      ],
      onMessage: (event) => intake.onMessage(event),
      onStart: async () => {
        await matrix.ensureTriageRoom();
        invitingCoordinators = inviteCoordinatorsPatiently(matrix, logger, () => stopped);
        sender.start();
        for (const watcher of watchers) watcher.start();
      },
      onStop: async () => {
        stopped = true;
        await invitingCoordinators;
        await Promise.all(watchers.map((w) => w.stop()));
        await sender.stop();
      },
    };
  },
};

const COORDINATOR_INVITE_ATTEMPTS = 20;
const COORDINATOR_INVITE_PAUSE_MS = 3_000;

/**
 * At every start, the coordinators missing from the triage room are invited; an invitation
 * refused (the homeserver's policy asks the directory, which may not answer yet) is tried
 * again a little later, in the background, so that no coordinator is left out for good.
 */
async function inviteCoordinatorsPatiently(matrix: MatrixMail, logger: Logger, isStopped: () => boolean): Promise<void> {
  for (let attempt = 1; attempt <= COORDINATOR_INVITE_ATTEMPTS && !isStopped(); attempt++) {
    const refused = await matrix.inviteMissingCoordinators().catch((err: unknown) => [{ userId: "*", error: (err as Error).message }]);
    if (refused.length === 0) return;
    const level = attempt === COORDINATOR_INVITE_ATTEMPTS ? "error" : "warn";
    logger[level]({ refused: refused.map((r) => r.userId), attempt, err: refused[0]!.error }, "coordinators not invited to the triage room yet");
    await new Promise((resolve) => setTimeout(resolve, COORDINATOR_INVITE_PAUSE_MS));
  }
}
