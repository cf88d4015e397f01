/**
 * A file that cannot be trusted as a whole: the import stops and nothing is written.
 * `message` is for the log; `humanMessage` is the polite French sentence for the coordinator.
 */
export class ImportRefused extends Error {
  readonly file: string;
  readonly reason: string;
  readonly humanMessage: string;

  constructor(file: string, reason: string) {
    super(`directory import refused: ${file}: ${reason}`);
    this.name = "ImportRefused";
    this.file = file;
    this.reason = reason;
    this.humanMessage = `Le fichier « ${file} » a été refusé : ${reason}. L'annuaire n'a pas été modifié.`;
  }
}
