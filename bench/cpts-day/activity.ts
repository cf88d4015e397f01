// The day the load test replays: who the members are (professions in the national mix of
// libéral professionals) and what they do in the CPTS's busiest hour, as a timed list of
// actions. No figure for message rates exists in the CPTS brief: the assumptions are here,
// named, and printed with the results.

/** Per 100 members, in the busiest hour of a working day (ASSUMPTIONS, see bench/README.md). */
export const PEAK_HOUR_PER_100_MEMBERS = {
  /** Messages in the general and profession rooms: 0.6 per member in the peak hour (about 3 a day, WhatsApp-era habits). */
  roomMessages: 60,
  /** SNP requests: the brief's 30 an hour for a 300-member CPTS. */
  snpRequests: 10,
  /** `!annuaire` searches: one member in five looks someone up in the peak hour. */
  directorySearches: 20,
  /** Patient case rooms opened with the care bot (`!patient`). */
  caseRooms: 3,
  /** Messages in existing case rooms. */
  caseMessages: 20,
} as const;

/** Share of a light member's syncs bringing new room messages after which they send a read receipt (Element sends one when the room is open). */
export const READ_RECEIPT_SHARE = 0.2;

/** Share of room messages posted in the general room; the rest go to the sender's profession room. */
export const GENERAL_ROOM_SHARE = 0.3;

/** Profession rooms (keys of bots/directory/community-plan.ts) and their share of members. */
export const PROFESSION_MIX: readonly (readonly [room: string, weight: number])[] = [
  ["ide", 28],
  ["mg", 16],
  ["kines", 15],
  ["pharmaciens", 12],
  ["autres", 11],
  ["dentistes", 8],
  ["specialistes", 6],
  ["sages-femmes", 4],
];

export type ActionKind = keyof typeof PEAK_HOUR_PER_100_MEMBERS;

export interface Action {
  /** Milliseconds from the start of the replay. */
  readonly atMs: number;
  readonly kind: ActionKind;
}

/** A deterministic pseudo-random source, so that two runs replay the same day. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function pickWeighted<T>(items: readonly (readonly [T, number])[], random: () => number): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
  return items[items.length - 1]![0];
}

/** How many of each action the peak hour holds for `members` accounts. */
export function peakHourCounts(members: number): Record<ActionKind, number> {
  const counts = {} as Record<ActionKind, number>;
  for (const [kind, per100] of Object.entries(PEAK_HOUR_PER_100_MEMBERS) as [ActionKind, number][]) counts[kind] = Math.round((per100 * members) / 100);
  return counts;
}

/**
 * The peak hour replayed in `replayMs`: each kind's count spread over the replay at random
 * (uniform arrival times, i.e. a Poisson process conditioned on its count), sorted by time.
 */
export function peakHourSchedule(members: number, replayMs: number, random: () => number): Action[] {
  const actions: Action[] = [];
  for (const [kind, count] of Object.entries(peakHourCounts(members)) as [ActionKind, number][]) {
    for (let i = 0; i < count; i++) actions.push({ atMs: Math.round(random() * replayMs), kind });
  }
  return actions.sort((a, b) => a.atMs - b.atMs);
}

/** A message's length in characters: mostly short chat lines, some paragraphs, a few long notes. */
export function messageLength(random: () => number): number {
  const roll = random();
  if (roll < 0.6) return 20 + Math.floor(random() * 100);
  if (roll < 0.9) return 120 + Math.floor(random() * 400);
  return 500 + Math.floor(random() * 1500);
}
