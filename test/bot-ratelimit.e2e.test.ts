import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { exemptFromMessageRateLimit, logIn, messageRateLimitOverride, SynapseAdminError } from "../scripts/lib/synapse-admin.ts";
import { createTestUser } from "./helpers/users.ts";

// The shared test Synapse lifts rc_message for everyone (synapse-config/test.yaml), so a burst
// would meet no 429 with or without the override: what is checked is the override Synapse records.
describe("exempting a bot account from the message rate limit", () => {
  it("is recorded as no limit by an administrator, again without harm, and refused to the bot itself", async () => {
    const { baseUrl } = inject("synapse");
    const admin = await createTestUser("ratelimit-admin", { admin: true });
    const bot = await createTestUser("ratelimit-bot");
    const asAdmin = { baseUrl, adminToken: await logIn(baseUrl, admin.localpart, admin.password) };
    const asBot = { baseUrl, adminToken: await logIn(baseUrl, bot.localpart, bot.password) };

    expect(await messageRateLimitOverride(asAdmin, bot.userId)).toBeUndefined();
    await exemptFromMessageRateLimit(asAdmin, bot.userId);
    await exemptFromMessageRateLimit(asAdmin, bot.userId);
    expect(await messageRateLimitOverride(asAdmin, bot.userId)).toEqual({ messagesPerSecond: 0, burstCount: 0 });

    const refused = await exemptFromMessageRateLimit(asBot, bot.userId).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SynapseAdminError);
    expect((refused as SynapseAdminError).status).toBe(403);
  });
});
