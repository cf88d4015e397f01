import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Bodies, patient data and tokens must never reach a log line:
 * callers log identifiers and outcomes only, and the redaction below is the safety net
 * for the keys that could carry them by mistake.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    redact: {
      paths: [
        "body", "*.body", "formatted_body", "*.formatted_body", "content", "*.content",
        "accessToken", "*.accessToken", "access_token", "*.access_token",
        "password", "*.password", "storageSecret", "*.storageSecret",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
