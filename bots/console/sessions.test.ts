import { describe, expect, it } from "vitest";
import { sameToken, SessionStore } from "./sessions.ts";

const MINUTE = 60_000;

describe("SessionStore", () => {
  const make = () => {
    let now = 1_000_000;
    const clock = { now: () => now, advance: (ms: number) => (now += ms) };
    return { clock, store: new SessionStore(clock, { idleMs: 30 * MINUTE, maxAgeMs: 12 * 60 * MINUTE }) };
  };

  it("opens a session with its own anti-forgery token, found again by its cookie value only", () => {
    const { store } = make();
    const { id, session } = store.open("@coord:cpts.test");
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(session.csrfToken).not.toBe(id);
    expect(store.touch(id)?.userId).toBe("@coord:cpts.test");
    expect(store.touch(`${id}x`)).toBeUndefined();
    expect(store.touch(undefined)).toBeUndefined();
    expect(store.open("@coord:cpts.test").id).not.toBe(id);
  });

  it("ends a session left idle, and any session past its maximum age however active", () => {
    const { store, clock } = make();
    const idle = store.open("@a:cpts.test").id;
    clock.advance(29 * MINUTE);
    expect(store.touch(idle)).toBeDefined();
    clock.advance(29 * MINUTE);
    expect(store.touch(idle)).toBeDefined();
    clock.advance(30 * MINUTE);
    expect(store.touch(idle)).toBeUndefined();

    const busy = store.open("@b:cpts.test").id;
    for (let i = 0; i < 12 * 3; i++) {
      clock.advance(20 * MINUTE);
      if (i < 35) expect(store.touch(busy), `after ${(i + 1) * 20} min`).toBeDefined();
    }
    expect(store.touch(busy)).toBeUndefined();
  });

  it("forgets a closed session and sweeps expired ones when opening another", () => {
    const { store, clock } = make();
    const first = store.open("@a:cpts.test").id;
    store.close(first);
    expect(store.touch(first)).toBeUndefined();
    store.open("@b:cpts.test");
    clock.advance(31 * MINUTE);
    store.open("@c:cpts.test");
    expect(store.size).toBe(1);
  });
});

describe("sameToken", () => {
  it("matches equal non-empty tokens only", () => {
    expect(sameToken("abc", "abc")).toBe(true);
    expect(sameToken("abc", "abd")).toBe(false);
    expect(sameToken("abc", "abcd")).toBe(false);
    expect(sameToken("", "")).toBe(false);
    expect(sameToken(undefined, "abc")).toBe(false);
    expect(sameToken(undefined, undefined)).toBe(false);
  });
});
