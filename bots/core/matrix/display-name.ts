import type { MatrixClient } from "matrix-js-sdk";

/** "@coordination:cpts.fr" → "coordination". */
export function localpartOf(userId: string): string {
  return /^@([^:]+)/.exec(userId)?.[1] ?? userId;
}

/**
 * How to show someone the directory does not know: their Matrix display name, or else the
 * localpart of their id; never a bare id (text that writes "@name" would show "@@…").
 */
export function readableName(userId: string, displayName: string | undefined): string {
  const name = displayName?.trim();
  if (name && name !== userId && !/^@[^:\s]+:\S+$/.test(name)) return name.replace(/^@+/, "") || localpartOf(userId);
  return localpartOf(userId);
}

/** The display name as the bot's sync knows it: from a room they share, or their profile. */
export function matrixDisplayName(client: MatrixClient, userId: string): string {
  for (const room of client.getRooms()) {
    const member = room.getMember(userId);
    const name = member?.events.member?.getContent()["displayname"] as unknown;
    if (typeof name === "string" && name.trim() !== "") return readableName(userId, name);
  }
  return readableName(userId, client.getUser(userId)?.displayName);
}
