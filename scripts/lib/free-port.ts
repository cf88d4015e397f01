import { createServer } from "node:net";

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process may still take it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

/** Fails fast when something already listens on the port: otherwise /health polling would reach it. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(`port ${port} on 127.0.0.1 is already in use (${err.code ?? err.message})`)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}
