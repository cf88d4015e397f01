/**
 * Folds a place, profession or keyword the way people type it: no case, no accents, ligatures
 * spelled out (Gœulzin → goeulzin), hyphens and apostrophes as spaces.
 */
export function foldName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[-'’_./]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
