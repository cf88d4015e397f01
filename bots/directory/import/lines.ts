import type { Readable } from "node:stream";
import { ImportRefused } from "./refused.ts";

export interface LineInfo {
  /** 1-based line number in the file (the header is line 1). */
  readonly lineNo: number;
  /** True only for a last line that ends without a newline: it may have been cut. */
  readonly unterminated: boolean;
}

export type LineHandler = (line: string, info: LineInfo) => void;

/**
 * Streams a file's lines to a synchronous handler, one chunk in memory at a time.
 * The decoder is fatal so a file that is not UTF-8 is refused rather than imported
 * with replacement characters in people's names. A handler may throw to stop.
 */
export async function readLines(stream: Readable, fileName: string, onLine: LineHandler): Promise<number> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  let lineNo = 0;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      // Locate the first undecodable byte for the coordinator: lines already emitted plus those before it in this chunk.
      const loose = rest + new TextDecoder("utf-8").decode(chunk);
      const bad = loose.indexOf("\uFFFD");
      const before = bad < 0 ? 0 : loose.slice(0, bad).split("\n").length - 1;
      throw new ImportRefused(fileName, `il n'est pas encodé en UTF-8 (ligne ${lineNo + before + 1})`);
    }
  };
  const emit = (line: string, unterminated: boolean): void => {
    lineNo++;
    onLine(line.endsWith("\r") ? line.slice(0, -1) : line, { lineNo, unterminated });
  };
  let handlerFailed = false;
  const emitSafely = (line: string, unterminated: boolean): void => {
    try {
      emit(line, unterminated);
    } catch (error) {
      handlerFailed = true;
      throw error;
    }
  };
  try {
    for await (const chunk of stream) {
      const text = rest + decode(chunk as Buffer);
      let start = 0;
      let end = text.indexOf("\n");
      while (end !== -1) {
        emitSafely(text.slice(start, end), false);
        start = end + 1;
        end = text.indexOf("\n", start);
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if (handlerFailed || error instanceof ImportRefused) throw error;
    throw new ImportRefused(fileName, `sa lecture a échoué, archive corrompue ou tronquée (${(error as Error).message})`);
  } finally {
    stream.destroy();
  }
  rest += decode();
  if (rest.length > 0) emit(rest, true);
  return lineNo;
}
