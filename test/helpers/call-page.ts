// A participant's browser side: headless Chromium with fake camera and microphone, a page
// that loads livekit-client (its UMD bundle, served locally: nothing from a CDN) and joins a
// LiveKit room with the token the authorisation service gave.
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express from "express";
import { chromium, type Browser, type Page } from "playwright-core";

const UMD = fileURLToPath(new URL("../../node_modules/livekit-client/dist/livekit-client.umd.js", import.meta.url));

const PAGE = `<!doctype html><meta charset="utf-8"><title>appel</title>
<script src="/livekit-client.umd.js"></script>
<script>
  window.received = [];
  window.join = async (url, jwt) => {
    const room = new LivekitClient.Room();
    room.on(LivekitClient.RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      window.received.push({ from: participant.identity, kind: track.kind, at: performance.timeOrigin + performance.now() });
    });
    await room.connect(url, jwt);
    await room.localParticipant.enableCameraAndMicrophone();
    window.room = room;
  };
  window.leave = () => window.room?.disconnect();
</script>`;

export interface CallPages {
  readonly origin: string;
  readonly browser: Browser;
  newParticipant(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchCallPages(): Promise<CallPages> {
  const umd = await readFile(UMD);
  const app = express();
  app.get("/", (_req, res) => res.type("html").send(PAGE));
  app.get("/livekit-client.umd.js", (_req, res) => res.type("js").send(umd));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
  });
  return {
    origin,
    browser,
    async newParticipant() {
      const context = await browser.newContext({ permissions: ["camera", "microphone"] });
      const page = await context.newPage();
      await page.goto(origin);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Joins in the page; rejects with LiveKit's error when the SFU refuses the token. */
export function joinCall(page: Page, url: string, jwt: string): Promise<void> {
  return page.evaluate(([u, t]) => (window as unknown as { join(u: string, t: string): Promise<void> }).join(u!, t!), [url, jwt] as const);
}

export function receivedTracks(page: Page): Promise<{ from: string; kind: string; at: number }[]> {
  return page.evaluate(() => (window as unknown as { received: { from: string; kind: string; at: number }[] }).received);
}
