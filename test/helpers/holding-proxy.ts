// A proxy in front of the real Synapse that can hold some of a bot's requests (its /sync, its
// key queries…) until the test releases them, to put the bot in a moment that is otherwise a race.
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HoldingProxy {
  readonly server: Server;
  /** The proxy's base URL, to give the bot as its homeserver. */
  url(): string;
  /** From now on, requests the predicate picks wait until `release`. */
  hold(): void;
  /** Lets the held requests go and stops holding. */
  release(): void;
  heldCount(): number;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: URL, picks: (req: IncomingMessage) => boolean, opts: { holding: boolean }): Promise<HoldingProxy> {
  let holding = opts.holding;
  const held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const forward = (): void => {
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    };
    if (holding && picks(req)) held.push(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const forward of held.splice(0)) forward();
    },
    heldCount: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
