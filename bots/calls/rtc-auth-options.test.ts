import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rtcAuthOptionsFromEnv } from "./rtc-auth-options.ts";

const dir = mkdtempSync(join(tmpdir(), "rtc-auth-options-"));
const secret = join(dir, "secret");
writeFileSync(secret, "s3cret\n");
const keys = join(dir, "livekit-keys");
writeFileSync(keys, `# LiveKit\ncpts: ${"k".repeat(40)}\n`);

const env = {
  RTC_AUTH_SERVER_NAME: "cpts-exemple.fr",
  RTC_AUTH_HOMESERVER_URL: "http://synapse:8008/",
  LIVEKIT_URL: "wss://matrix.cpts-exemple.fr/livekit/sfu",
  LIVEKIT_KEY_FILE: keys,
  RTC_AUTH_DIRECTORY_URL: "http://bots:8081",
  RTC_AUTH_DIRECTORY_TOKEN_FILE: secret,
  RTC_AUTH_WITNESS_URLS: "http://bots:8083, http://bots:8082",
  RTC_AUTH_WITNESS_TOKEN_FILE: secret,
};

describe("MatrixRTC authorisation settings", () => {
  it("reads the environment, with defaults and secrets from files", () => {
    expect(rtcAuthOptionsFromEnv(env)).toMatchObject({
      host: "127.0.0.1",
      port: 8090,
      homeserverUrl: "http://synapse:8008",
      liveKitApiUrl: "wss://matrix.cpts-exemple.fr/livekit/sfu".replace(/^ws/, "http"),
      liveKitKey: "cpts",
      liveKitSecret: "k".repeat(40),
      directoryToken: "s3cret",
      witnessUrls: ["http://bots:8083", "http://bots:8082"],
      tokenTtlSeconds: 600,
    });
  });

  it("names every wrong or missing variable", () => {
    const bad = { ...env, LIVEKIT_URL: "https://not-a-websocket", RTC_AUTH_SERVER_NAME: "", RTC_AUTH_TOKEN_TTL_SECONDS: "5" };
    const message = (() => {
      try {
        rtcAuthOptionsFromEnv(bad);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/- LIVEKIT_URL: a URL like wss:/);
    expect(message).toMatch(/- RTC_AUTH_SERVER_NAME: missing/);
    expect(message).toMatch(/- RTC_AUTH_TOKEN_TTL_SECONDS: /);
    expect(() => rtcAuthOptionsFromEnv({ ...env, LIVEKIT_KEY_FILE: join(dir, "absent") })).toThrow(/LIVEKIT_KEY_FILE: cannot read secret file/);
    expect(() => rtcAuthOptionsFromEnv({ ...env, LIVEKIT_KEY_FILE: secret })).toThrow(/LIVEKIT_KEY_FILE: expected LiveKit's key file/);
  });
});
