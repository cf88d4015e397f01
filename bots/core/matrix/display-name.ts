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

/**
 * Display names as the bot knows them: from a room it shares with the person (their member
 * event), or from their profile once asked (`learn`, for someone the bot shares no room with yet).
 */
export class MatrixNames {
  private readonly client: MatrixClient;
  private readonly profiles = new Map<string, string>();

  constructor(client: MatrixClient) {
    this.client = client;
  }

  nameOf(userId: string): string {
    return readableName(userId, this.displayName(userId));
  }

  /** Asks the homeserver for the person's profile when no shared room tells their name; a failure leaves the localpart. */
  async learn(userId: string): Promise<void> {
    if (this.displayName(userId) !== undefined) return;
    const profile = await this.client.getProfileInfo(userId).catch(() => undefined);
    if (typeof profile?.displayname === "string" && profile.displayname.trim() !== "") this.profiles.set(userId, profile.displayname);
  }

  private displayName(userId: string): string | undefined {
    for (const room of this.client.getRooms()) {
      const name = room.getMember(userId)?.events.member?.getContent()["displayname"] as unknown;
      if (typeof name === "string" && name.trim() !== "") return name;
    }
    // The SDK's User starts with the id itself as its display name: that is no name.
    const userName = this.client.getUser(userId)?.displayName;
    return this.profiles.get(userId) ?? (userName && userName !== userId ? userName : undefined);
  }
}
