import type { Reply } from "../../core/commands/command.ts";
import { escapeHtml } from "../../core/commands/render.ts";
import { localize, type Localized } from "../../core/i18n/lang.ts";
import type { CareDeps } from "../care-context.ts";
import { ALERT_JOB_KIND, type AlertReminderPayload } from "../alert-service.ts";
import { RETENTION_JOB_KIND, roomNameOf, type RetentionEndPayload } from "../case-service.ts";
import type { AlertEffect } from "../domain/alert.ts";
import { caseLabel, type CaseEffect } from "../domain/care-case.ts";
import { caseCode, type CaseCode } from "../domain/ids.ts";
import { shortDate, shortDateTime } from "../../core/time/paris-time.ts";
import { CASE_MESSAGES as M } from "../messages/case-messages.ts";
import type { EffectRunner } from "./effects-executor.ts";

type Deps = Omit<CareDeps, "drain">;

/** A text naming people: plain names in the body, pills (matrix.to links) in the HTML that Element shows. */
export function withMentions(template: Localized, lang: "fr" | "en", params: Record<string, string | number>, people: readonly { userId: string; name: string }[]): Reply {
  const plain = people.map((p) => `@${p.name}`).join(", ");
  const pills = people.map((p) => `<a href="https://matrix.to/#/${encodeURIComponent(p.userId)}">${escapeHtml(p.name)}</a>`).join(", ");
  const text = localize(template, lang, { ...params, mentions: plain });
  const marker = "\u0000mentions\u0000";
  const html = escapeHtml(localize(template, lang, { ...params, mentions: marker }))
    .replace(escapeHtml(marker), pills)
    .replace(/\n/g, "<br>");
  return { text, html };
}

export function caseRunner(deps: Deps): EffectRunner {
  const lang = deps.services.defaultLanguage;
  const recordOf = (code: CaseCode) => {
    const record = deps.cases.get(code);
    if (!record) throw new Error(`case ${code} not found`);
    return record;
  };
  const roomOf = (code: CaseCode): string => {
    const roomId = recordOf(code).roomId;
    if (!roomId) throw new Error(`case ${code} has no room yet`);
    return roomId;
  };
  return async (key, raw, idempotency) => {
    const code = caseCode(key);
    const effect = raw as CaseEffect;
    switch (effect.kind) {
      case "create-case-room": {
        const { state, roomId: known } = recordOf(code);
        let roomId = known;
        if (roomId) {
          for (const userId of effect.invite) await deps.rooms.invite(roomId, userId);
        } else {
          const room = await deps.rooms.ensure({
            key: `case:${code}`,
            name: roomNameOf(code, state.theme, lang),
            topic: localize(M.roomTopic, lang, { code, theme: state.theme }),
            managers: [state.createdBy],
            invite: effect.invite,
          });
          roomId = room.roomId;
          deps.cases.setRoom(code, roomId);
          deps.services.logger.info({ caseCode: code, roomId, created: room.created }, "care case room ready");
        }
        // Until the invitations are in the bot's sync, a message would be encrypted for nobody else.
        await deps.services.messenger.waitUntilMembers(roomId, effect.invite);
        const intro = localize(M.roomIntro, lang, {
          label: caseLabel(code, state.theme),
          creator: deps.people.nameOf(state.createdBy),
          team: effect.invite.map((u) => deps.people.describe(u)).join(", "),
        });
        await deps.services.messenger.notice(roomId, { text: intro }, idempotency());
        return;
      }
      case "ask-card": {
        const roomId = roomOf(code);
        deps.prompts.open(effect.to, roomId, { kind: "card", caseCode: code });
        const name = deps.people.nameOf(effect.to);
        await deps.services.messenger.mention(roomId, { text: localize(M.askCard, lang, { name }) }, [effect.to], idempotency());
        return;
      }
      case "lock-room":
        await deps.rooms.setReadOnly(roomOf(code), true);
        await deps.rooms.setRetention(roomOf(code), deps.options.retentionDays * 86_400_000);
        return;
      case "unlock-room":
        await deps.rooms.setReadOnly(roomOf(code), false);
        await deps.rooms.setRetention(roomOf(code), undefined);
        return;
      case "announce": {
        const params = { code, name: deps.people.nameOf(effect.by), date: shortDate(deps.services.clock.now()), days: deps.options.retentionDays };
        await deps.services.messenger.notice(roomOf(code), { text: localize(effect.news === "closed" ? M.closedAnnounce : M.reopenedAnnounce, lang, params) }, idempotency());
        return;
      }
      case "schedule-retention-end":
        deps.services.jobs.schedule({
          kind: RETENTION_JOB_KIND,
          dueAt: effect.at,
          payload: { caseCode: code } satisfies RetentionEndPayload,
          dedupeKey: `care:case:${code}:retention`,
        });
        return;
    }
  };
}

export function alertRunner(deps: Deps): EffectRunner {
  const lang = deps.services.defaultLanguage;
  const botUserId = deps.services.userId;
  return async (key, raw, idempotency) => {
    const id = Number(key);
    const effect = raw as AlertEffect;
    const alert = deps.cases.alert(id);
    if (!alert) throw new Error(`alert ${id} not found`);
    const roomId = deps.cases.get(alert.caseCode)?.roomId;
    if (!roomId) throw new Error(`case ${alert.caseCode} has no room`);
    const team = async (): Promise<{ userId: string; name: string }[]> =>
      (await deps.rooms.teamOf(roomId)).filter((u) => u !== botUserId && u !== alert.raisedBy).map((u) => ({ userId: u, name: deps.people.nameOf(u) }));
    const posted = deps.cases.alertMessage(id);
    const params = { name: deps.people.nameOf(alert.raisedBy), time: shortDateTime(alert.raisedAt), code: alert.caseCode };
    switch (effect.kind) {
      case "post-alert": {
        if (posted.eventId) return;
        const people = await team();
        const reply = withMentions(M.alert, lang, { ...params, message: posted.text ?? "" }, people);
        const eventId = await deps.services.messenger.mention(roomId, reply, people.map((p) => p.userId), idempotency());
        deps.cases.alertPosted(id, eventId);
        return;
      }
      case "post-acknowledgement":
        await deps.services.messenger.notice(
          roomId,
          { text: localize(M.alertAcknowledged, lang, { name: deps.people.nameOf(effect.by), time: shortDateTime(alert.acknowledgedAt ?? deps.services.clock.now()) }) },
          idempotency(),
          posted.eventId,
        );
        return;
      case "post-reminder": {
        const people = await team();
        const reply = withMentions(M.alertReminder, lang, { ...params, n: effect.reminder, max: deps.options.alertMaxReminders }, people);
        await deps.services.messenger.mention(roomId, reply, people.map((p) => p.userId), idempotency(), posted.eventId);
        return;
      }
      case "schedule-reminder":
        deps.services.jobs.schedule({
          kind: ALERT_JOB_KIND,
          dueAt: effect.at,
          payload: { alertId: id, reminder: effect.reminder } satisfies AlertReminderPayload,
          dedupeKey: `care:alert:${id}:${effect.reminder}`,
        });
        return;
    }
  };
}
