// The import guard: an import that would empty or mostly empty the directory (a partial file,
// a file of another region, a format the importer misreads, a wrong territory) is refused
// unless the coordinator confirms it. Membership, profession rooms, SNP candidates, referrals
// and the MSSanté routing all stand on the directory: nothing may wipe it silently.

export interface GuardSettings {
  /** Share of the active professionals (0–1) an import may deactivate without confirmation. */
  readonly maxDeactivatedShare: number;
}

export const DEFAULT_GUARD: GuardSettings = { maxDeactivatedShare: 0.2 };

export type GuardVerdict =
  | { readonly kind: "nothing-kept"; readonly territoryCodeRows: number; readonly rowsRead: number }
  | { readonly kind: "mass-deactivation"; readonly deactivated: number; readonly activeBefore: number; readonly maxShare: number };

/** What the guard says of an import's effect, computed before it is committed; undefined: it may go on. */
export function judgeImport(
  effect: {
    /** The activité files' counts (see FileReport). */
    readonly activite: readonly { readonly rowsRead: number; readonly kept: number; readonly territoryCodeRows: number }[];
    readonly activeBefore: number;
    readonly deactivated: number;
  },
  settings: GuardSettings,
): GuardVerdict | undefined {
  if (effect.activite.length === 0) return undefined;
  const kept = effect.activite.reduce((sum, f) => sum + f.kept, 0);
  const territoryCodeRows = effect.activite.reduce((sum, f) => sum + f.territoryCodeRows, 0);
  if (kept === 0 && territoryCodeRows > 0) {
    return { kind: "nothing-kept", territoryCodeRows, rowsRead: effect.activite.reduce((sum, f) => sum + f.rowsRead, 0) };
  }
  if (effect.activeBefore > 0 && effect.deactivated / effect.activeBefore > settings.maxDeactivatedShare) {
    return { kind: "mass-deactivation", deactivated: effect.deactivated, activeBefore: effect.activeBefore, maxShare: settings.maxDeactivatedShare };
  }
  return undefined;
}
