import { spawn, type ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import type { Logger } from "./logger.ts";

export interface SupervisedCommand {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where the child's stdout and stderr go (kept open across restarts); default: this process's. */
  readonly output?: Writable;
  /** Told each time the child dies unexpectedly, before it is restarted. */
  readonly onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null, restartInMs: number) => void;
  /**
   * Exit codes a restart cannot cure (a configuration error: CONFIG_ERROR_EXIT_CODE): the child
   * is not restarted, and `onGiveUp` is told instead.
   */
  readonly stopOnExitCodes?: readonly number[];
  readonly onGiveUp?: (code: number) => void;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A child that stayed up this long is considered healthy again: the backoff restarts from 1 s. */
const STABLE_AFTER_MS = 60_000;

/** Keeps a child process running: restarts it with backoff when it dies, until stopped. */
export class Supervisor {
  private readonly spec: SupervisedCommand;
  private readonly logger: Logger;
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartDelayMs = 1_000;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  restarts = 0;

  constructor(spec: SupervisedCommand, logger: Logger) {
    this.spec = spec;
    this.logger = logger;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.startedAt = Date.now();
    const output = this.spec.output;
    const stdio = output ? "pipe" : "inherit";
    const child = spawn(this.spec.command, [...this.spec.args], { stdio: ["ignore", stdio, stdio], env: this.spec.env ?? process.env });
    if (output) {
      child.stdout?.pipe(output, { end: false });
      child.stderr?.pipe(output, { end: false });
    }
    this.child = child;
    child.on("exit", (code, signal) => {
      this.child = undefined;
      if (this.stopping) return;
      if (code !== null && this.spec.stopOnExitCodes?.includes(code)) {
        this.stopping = true;
        this.logger.error({ process: this.spec.name, code }, "process stopped on an error a restart cannot cure; not restarting");
        this.spec.onGiveUp?.(code);
        return;
      }
      if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.restartDelayMs = 1_000;
      this.logger.warn({ process: this.spec.name, code, signal, restartInMs: this.restartDelayMs }, "process died; restarting");
      this.spec.onUnexpectedExit?.(code, signal, this.restartDelayMs);
      this.restarts++;
      this.restartTimer = setTimeout(() => this.start(), this.restartDelayMs);
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    });
  }

  /** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(killer);
  }
}
