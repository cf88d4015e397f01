// The JSON logs of `npm start` (its own and each bot's) in rotated files under data/logs/,
// so the terminal keeps short human lines; CPTS_LOG_FORMAT=json keeps JSON on the terminal.
import { join } from "node:path";
import { createStream, type RotatingFileStream } from "rotating-file-stream";

/** A file grows to 10 MB, then is renamed with its date and compressed; 10 such files are kept per process. */
export function rotatedLogFile(logsDir: string, name: string): RotatingFileStream {
  return createStream(`${name}.log`, { path: logsDir, size: "10M", maxFiles: 10, compress: "gzip", mode: 0o600 });
}

export type LogFormat = "human" | "json";

export function logFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const value = env["CPTS_LOG_FORMAT"];
  if (value === undefined || value === "" || value === "human") return "human";
  if (value === "json") return "json";
  throw new Error(`CPTS_LOG_FORMAT doit valoir « human » ou « json » (reçu « ${value} »)`);
}

export const logsDirOf = (dataDir: string): string => join(dataDir, "logs");
