import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomMembershipRoutes } from "./room-membership-routes.ts";

let base = "";
let close: () => void;

beforeAll(async () => {
  const app = express().use(
    roomMembershipRoutes(async (roomId, userId) => (roomId === "!case:cpts.test" ? { joined: userId === "@mg:cpts.test" } : undefined), "witness-token"),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const ask = (room: string, user: string, token = "witness-token") =>
  fetch(`${base}/rtc/rooms/${encodeURIComponent(room)}/members/${encodeURIComponent(user)}`, { headers: { authorization: `Bearer ${token}` } });

describe("a bot as room-membership witness", () => {
  it("answers who has joined the rooms it is in, and 404 for the others", async () => {
    expect(await (await ask("!case:cpts.test", "@mg:cpts.test")).json()).toEqual({ joined: true });
    expect(await (await ask("!case:cpts.test", "@ide:cpts.test")).json()).toEqual({ joined: false });
    expect((await ask("!dm:cpts.test", "@mg:cpts.test")).status).toBe(404);
  });

  it("answers only the holder of the token, and only well-formed questions", async () => {
    expect((await ask("!case:cpts.test", "@mg:cpts.test", "guess")).status).toBe(401);
    expect((await ask("case", "@mg:cpts.test")).status).toBe(400);
  });
});
