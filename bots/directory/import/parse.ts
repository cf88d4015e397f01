import type { Territory } from "../territory.ts";
import { columnsFor, headerFields, indexColumns, recogniseKind, type ACTIVITE_COLUMNS, type ColumnIndex, type FileKind, type MSSANTE_COLUMNS, type SAVOIR_FAIRE_COLUMNS } from "./columns.ts";
import { readLines } from "./lines.ts";
import type { KeptRows } from "./records.ts";
import { ImportRefused } from "./refused.ts";
import { newFileReport, reject, type FileReport } from "./report.ts";
import { activiteRowMapper, mssanteRowMapper, savoirFaireRowMapper, type RowOutcome } from "./rows.ts";
import type { Source } from "./sources.ts";

export interface Progress {
  readonly file: string;
  readonly rowsRead: number;
}

export interface ClassifiedSource {
  readonly source: Source;
  readonly kind: FileKind | "other-extract" | undefined;
  readonly header: string[];
}

const MAX_HEADER_BYTES = 64 * 1024;

/** Reads only the header line, to learn what the file is before reading it whole. */
export async function classify(source: Source): Promise<ClassifiedSource> {
  const stream = await source.open();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if ((chunk as Buffer).includes(0x0a) || size >= MAX_HEADER_BYTES) break;
    }
  } catch (error) {
    throw new ImportRefused(source.name, `sa lecture a échoué (${(error as Error).message})`);
  } finally {
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new ImportRefused(source.name, "il est vide");
  const end = bytes.indexOf(0x0a);
  let line: string;
  try {
    line = new TextDecoder("utf-8", { fatal: true }).decode(end === -1 ? bytes : bytes.subarray(0, end));
  } catch {
    throw new ImportRefused(source.name, "il n'est pas encodé en UTF-8 (ligne d'en-tête)");
  }
  const header = headerFields(line.replace(/\r$/, ""));
  return { source, kind: recogniseKind(header), header };
}

export interface ParseOptions {
  readonly onProgress?: (progress: Progress) => void;
  readonly progressEvery?: number;
}

type Mapper = (fields: string[]) => RowOutcome;

function mapperFor(file: ClassifiedSource & { kind: FileKind }, territory: Territory, isKept: (nationalId: string) => boolean, into: KeptRows, report: FileReport): Mapper {
  const { index, missing } = indexColumns(columnsFor(file.kind), file.header);
  if (missing.length > 0) throw new ImportRefused(file.source.name, `colonne(s) obligatoire(s) absente(s) : ${missing.join(", ")}`);
  if (file.kind === "activite") return activiteRowMapper(territory, index as ColumnIndex<typeof ACTIVITE_COLUMNS>, into, report);
  if (file.kind === "savoir-faire") return savoirFaireRowMapper(isKept, index as ColumnIndex<typeof SAVOIR_FAIRE_COLUMNS>, into);
  return mssanteRowMapper(isKept, index as ColumnIndex<typeof MSSANTE_COLUMNS>, into);
}

/**
 * Streams one recognised file into `into`, counting every row. `isKept` says whether a
 * national id is kept, which SavoirFaire and MSSanté rows are filtered on.
 */
export async function parseFile(
  file: ClassifiedSource & { kind: FileKind },
  territory: Territory,
  isKept: (nationalId: string) => boolean,
  into: KeptRows,
  options: ParseOptions = {},
): Promise<FileReport> {
  const expected = file.header.length;
  const report = newFileReport(file.source.name, file.kind, expected);
  const map = mapperFor(file, territory, isKept, into, report);
  const every = options.progressEvery ?? 100_000;
  const stream = await file.source.open();
  await readLines(stream, file.source.name, (line, { lineNo, unterminated }) => {
    if (lineNo === 1 || line === "") return;
    const fields = line.split("|");
    if (fields.at(-1) === "") fields.pop();
    report.rowsRead++;
    if (report.rowsRead % every === 0) options.onProgress?.({ file: file.source.name, rowsRead: report.rowsRead });
    const cut = unterminated && !line.endsWith("|");
    if (fields.length !== expected || cut) {
      if (unterminated) throw new ImportRefused(file.source.name, `il est tronqué : la dernière ligne (${lineNo}) est coupée au milieu d'un enregistrement`);
      reject(report, lineNo, `nombre de champs incorrect (${expected} attendus, ${fields.length} lus)`);
      return;
    }
    const outcome = map(fields);
    if (outcome === "kept") report.kept++;
    else if (outcome === "out") report.outOfTerritory++;
    else if (outcome === "abroad") report.abroad++;
    else reject(report, lineNo, outcome.rejected);
  });
  options.onProgress?.({ file: file.source.name, rowsRead: report.rowsRead });
  return report;
}
