import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** The bot's Prometheus metrics, one registry per process. */
export class BotMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<"command" | "status">;
  readonly errors: Counter<"kind">;
  constructor(botId: string, now: () => number, lastSyncAt: () => number | undefined, deviceCrossSigned: () => boolean) {
    this.registry.setDefaultLabels({ bot: botId });
    collectDefaultMetrics({ register: this.registry, prefix: "cpts_bot_" });
    this.commands = new Counter({
      name: "cpts_bot_commands_total",
      help: "Commands answered, by command and outcome (ok, user-error, internal-error).",
      labelNames: ["command", "status"],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: "cpts_bot_errors_total",
      help: "Errors by kind (event handling, sending, sync, jobs, decryption).",
      labelNames: ["kind"],
      registers: [this.registry],
    });
    new Gauge({
      name: "cpts_bot_sync_lag_seconds",
      help: "Seconds since the last completed sync with the homeserver (-1 before the first).",
      registers: [this.registry],
      collect() {
        const last = lastSyncAt();
        this.set(last === undefined ? -1 : (now() - last) / 1000);
      },
    });
    new Gauge({
      name: "cpts_bot_device_cross_signed",
      help: "1 when the bot's device is cross-signed by its own identity (Element reads and writes to it), else 0.",
      registers: [this.registry],
      collect() {
        this.set(deviceCrossSigned() ? 1 : 0);
      },
    });
  }
}
