import { localize } from "../../core/i18n/lang.ts";
import { type CareDeps, languageOf } from "../care-context.ts";
import { notificationReason, type ExpertiseEffect, type ExpertiseState } from "../domain/expertise.ts";
import { expertiseCode, type UserId } from "../domain/ids.ts";
import { shortDateTime } from "../../core/time/paris-time.ts";
import { EXPERTISE_JOB_KIND, expertiseRoomName, type ExpertiseWavePayload } from "../expertise-service.ts";
import { readPosted } from "../matrix/forwarding.ts";
import { EXPERTISE_MESSAGES as M } from "../messages/expertise-messages.ts";
import type { EffectRunner } from "./effects-executor.ts";

type Deps = Omit<CareDeps, "drain">;

const MARKS = { taken: M.markTaken, expired: M.markExpired, cancelled: M.markCancelled } as const;

export function expertiseRunner(deps: Deps): EffectRunner {
  const shared = deps.services.defaultLanguage;
  const roomOf = (state: ExpertiseState): string => {
    const roomId = deps.expertise.get(state.code)?.roomId;
    if (!roomId) throw new Error(`téléexpertise ${state.code} has no room yet`);
    return roomId;
  };

  /** The expert in the room, with the question and everything the requester posted before (encrypted anew for them). */
  const bringExpert = async (state: ExpertiseState, question: string, expert: UserId, key: (suffix?: string) => string): Promise<void> => {
    const roomId = roomOf(state);
    await deps.rooms.invite(roomId, expert);
    await deps.services.messenger.waitUntilMembers(roomId, [expert]);
    const attachments = deps.expertise.attachments(state.code);
    const intro = localize(M.expertArrived, shared, {
      expert: deps.people.describe(expert),
      code: state.code,
      specialty: state.specialty.label,
      requester: deps.people.describe(state.requester),
      question,
      count: attachments.length,
    });
    await deps.services.messenger.mention(roomId, { text: intro }, [expert, state.requester], key(":intro"));
    for (const [i, eventId] of attachments.entries()) {
      const posted = await readPosted(deps.services.matrix, roomId, eventId);
      if (!posted) continue;
      if (posted.kind === "text") {
        const text = localize(M.forwardedText, shared, { name: deps.people.nameOf(posted.sender), time: shortDateTime(posted.at), body: posted.body });
        await deps.services.messenger.notice(roomId, { text }, key(`:${i}`));
      } else {
        await deps.services.messenger.file(roomId, posted.file, key(`:${i}`));
      }
    }
  };

  return async (key, raw, idempotency) => {
    const code = expertiseCode(key);
    const effect = raw as ExpertiseEffect;
    const record = deps.expertise.get(code);
    if (!record) throw new Error(`téléexpertise ${code} not found`);
    const { state } = record;
    switch (effect.kind) {
      case "open-room": {
        let roomId = record.roomId;
        if (!roomId) {
          const room = await deps.rooms.ensure({
            key: `expertise:${code}`,
            name: expertiseRoomName(state, shared),
            topic: localize(M.roomTopic, shared, { code, specialty: state.specialty.label, requester: deps.people.nameOf(state.requester) }),
            managers: [],
            invite: [state.requester],
          });
          roomId = room.roomId;
          deps.expertise.setRoom(code, roomId);
        }
        await deps.services.messenger.waitUntilMembers(roomId, [state.requester]);
        const intro = localize(M.roomIntro, shared, { code, specialty: state.specialty.label, question: record.question ?? "" });
        await deps.services.messenger.notice(roomId, { text: intro }, idempotency());
        return;
      }
      case "notify-experts":
        for (const expert of effect.to) {
          if (deps.expertise.notification(code, expert)) continue;
          if (deps.people.statusOf(expert) !== "verified") {
            deps.services.logger.info({ expertiseCode: code }, "expert no longer a member: skipped");
            continue;
          }
          const lang = languageOf(deps, expert);
          const text = localize(M.notification, lang, {
            code,
            specialty: state.specialty.label,
            requester: deps.people.describe(state.requester),
            question: record.question ?? "",
            wave: localize(notificationReason(state, expert) === "declared" ? M.waveDeclared : M.waveWider, lang),
          });
          const sent = await deps.services.messenger.direct(expert, { text }, idempotency(`:${expert}`));
          deps.expertise.recordNotification({ code, userId: expert, roomId: sent.roomId, eventId: sent.eventId });
        }
        return;
      case "schedule-wave-timeout":
        deps.services.jobs.schedule({
          kind: EXPERTISE_JOB_KIND,
          dueAt: effect.at,
          payload: { expertiseCode: code, wave: effect.wave } satisfies ExpertiseWavePayload,
          dedupeKey: `care:expertise:${code}:wave:${effect.wave}`,
        });
        return;
      case "mark-notifications":
        for (const expert of effect.to) {
          const n = deps.expertise.notification(code, expert);
          if (!n) continue;
          const text = localize(MARKS[effect.why], languageOf(deps, expert), { code, expert: state.takenBy ? deps.people.nameOf(state.takenBy) : "" });
          await deps.services.messenger.notice(n.roomId, { text }, idempotency(`:${expert}`), n.eventId);
        }
        return;
      case "bring-expert":
        return bringExpert(state, record.question ?? "", effect.expert, idempotency);
      case "tell-requester": {
        const lang = languageOf(deps, state.requester);
        const expert = state.takenBy ? deps.people.nameOf(state.takenBy) : "";
        if (effect.news === "taken") {
          await deps.services.messenger.mention(roomOf(state), { text: localize(M.newsTaken, lang, { expert, code }) }, [state.requester], idempotency());
          return;
        }
        const text =
          effect.news === "answered"
            ? localize(M.newsAnswered, lang, { code, expert, date: shortDateTime(state.answeredAt ?? state.createdAt), room: expertiseRoomName(state, shared) })
            : localize(M.newsExpired, lang, { code });
        await deps.services.messenger.notice(record.originRoomId, { text }, idempotency());
        // The request is over: its question stays in the room only.
        deps.expertise.forgetQuestion(code);
        return;
      }
      case "close-room":
        await deps.rooms.setReadOnly(roomOf(state), true);
        await deps.services.messenger.notice(roomOf(state), { text: localize(M.roomClosed, shared, { code }) }, idempotency());
        deps.expertise.forgetQuestion(code);
        return;
    }
  };
}
