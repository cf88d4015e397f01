// The words professionals type to find each other, mapped to the directory's terms. The
// profession and specialty labels are those of the national directory (RPPS extract,
// "Libellé profession" / "Libellé savoir-faire"), compared folded (see foldName).

export interface ProfessionTerm {
  /** Folded "Libellé profession" of the national directory. */
  readonly profession: string;
  /** Folded "Libellé savoir-faire" when the word names a specialty (cardiologue → cardiologie). */
  readonly specialty?: string;
}

const MEDECIN = "medecin";

/** Folded word or phrase → what it means. Phrases are matched before single words. */
export const PROFESSION_WORDS: ReadonlyMap<string, ProfessionTerm> = new Map<string, ProfessionTerm>([
  ...["mg", "generaliste", "generalistes", "medecin generaliste", "medecins generalistes", "medecin traitant", "medecine generale"].map(
    (w) => [w, { profession: MEDECIN, specialty: "medecine generale" }] as const,
  ),
  ...["medecin", "medecins", "docteur", "dr"].map((w) => [w, { profession: MEDECIN }] as const),
  ...["ide", "idel", "infirmier", "infirmiere", "infirmiers", "infirmieres", "inf"].map((w) => [w, { profession: "infirmier" }] as const),
  ...["kine", "kines", "kinesitherapeute", "kinesitherapeutes", "masseur kinesitherapeute", "mk", "mkde", "kinesitherapie"].map(
    (w) => [w, { profession: "masseur kinesitherapeute" }] as const,
  ),
  ...["pharmacien", "pharmacienne", "pharmaciens", "pharma", "pharmacie"].map((w) => [w, { profession: "pharmacien" }] as const),
  ...["sf", "sage femme", "sages femmes", "maieuticien"].map((w) => [w, { profession: "sage femme" }] as const),
  ...["dentiste", "dentistes", "chirurgien dentiste"].map((w) => [w, { profession: "chirurgien dentiste" }] as const),
  ...["podologue", "podologues", "pedicure", "pedicure podologue"].map((w) => [w, { profession: "pedicure podologue" }] as const),
  ...["orthophoniste", "orthophonistes"].map((w) => [w, { profession: "orthophoniste" }] as const),
  ...["orthoptiste", "orthoptistes"].map((w) => [w, { profession: "orthoptiste" }] as const),
  ...["psychologue", "psychologues", "psy"].map((w) => [w, { profession: "psychologue" }] as const),
  ...["dieteticien", "dieteticienne", "dieteticiens"].map((w) => [w, { profession: "dieteticien" }] as const),
  ...["ergotherapeute", "ergo"].map((w) => [w, { profession: "ergotherapeute" }] as const),
  ...["psychomotricien", "psychomotricienne"].map((w) => [w, { profession: "psychomotricien" }] as const),
  ...specialties({
    cardiologie: ["cardiologue", "cardiologues", "cardio"],
    pediatrie: ["pediatre", "pediatres"],
    dermatologie: ["dermatologue", "dermato"],
    psychiatrie: ["psychiatre", "psychiatres"],
    "gynecologie medicale": ["gynecologue", "gyneco", "gyn"],
    ophtalmologie: ["ophtalmologue", "ophtalmo"],
    pneumologie: ["pneumologue", "pneumo"],
    rhumatologie: ["rhumatologue", "rhumato"],
    geriatrie: ["geriatre", "geriatrie"],
    "endocrinologie diabetologie": ["endocrinologue", "diabetologue", "endocrino"],
    "gastro enterologie et hepatologie": ["gastro enterologue", "gastroenterologue", "gastro"],
    "oto rhino laryngologie": ["orl"],
    neurologie: ["neurologue", "neuro"],
    radiodiagnostic: ["radiologue", "radio"],
  }),
]);

/** How a folded profession or specialty is written in French, accents and hyphens included. */
const LABELS: ReadonlyMap<string, string> = new Map([
  ["medecin", "médecin"],
  ["medecine generale", "médecine générale"],
  ["infirmier", "infirmier"],
  ["masseur kinesitherapeute", "masseur-kinésithérapeute"],
  ["pharmacien", "pharmacien"],
  ["sage femme", "sage-femme"],
  ["chirurgien dentiste", "chirurgien-dentiste"],
  ["pedicure podologue", "pédicure-podologue"],
  ["orthophoniste", "orthophoniste"],
  ["orthoptiste", "orthoptiste"],
  ["psychologue", "psychologue"],
  ["dieteticien", "diététicien"],
  ["ergotherapeute", "ergothérapeute"],
  ["psychomotricien", "psychomotricien"],
  ["cardiologie", "cardiologie"],
  ["pediatrie", "pédiatrie"],
  ["dermatologie", "dermatologie"],
  ["psychiatrie", "psychiatrie"],
  ["gynecologie medicale", "gynécologie médicale"],
  ["ophtalmologie", "ophtalmologie"],
  ["pneumologie", "pneumologie"],
  ["rhumatologie", "rhumatologie"],
  ["geriatrie", "gériatrie"],
  ["endocrinologie diabetologie", "endocrinologie-diabétologie"],
  ["gastro enterologie et hepatologie", "gastro-entérologie et hépatologie"],
  ["oto rhino laryngologie", "oto-rhino-laryngologie"],
  ["neurologie", "neurologie"],
  ["radiodiagnostic", "radiodiagnostic"],
]);

/** The French label of a term, as people read it ("médecine générale"), for messages and room names. */
export function termLabel(term: ProfessionTerm): string {
  const folded = term.specialty ?? term.profession;
  return LABELS.get(folded) ?? folded;
}

function specialties(bySpecialty: Record<string, string[]>): (readonly [string, ProfessionTerm])[] {
  return Object.entries(bySpecialty).flatMap(([specialty, words]) => words.map((w) => [w, { profession: MEDECIN, specialty }] as const));
}

export type CareMode = "domicile" | "cabinet" | "teleconsultation";

export const CARE_MODE_WORDS: ReadonlyMap<string, CareMode> = new Map<string, CareMode>([
  ...["domicile", "a domicile", "visite", "visites", "visite a domicile", "vad"].map((w) => [w, "domicile"] as const),
  ...["cabinet", "au cabinet", "consultation au cabinet"].map((w) => [w, "cabinet"] as const),
  ...["teleconsultation", "teleconsult", "visio", "video"].map((w) => [w, "teleconsultation"] as const),
]);

/** Folded language word → ISO 639-1 code (what profiles store). */
export const LANGUAGE_WORDS: ReadonlyMap<string, string> = new Map([
  ...["anglais", "english"].map((w) => [w, "en"] as const),
  ...["espagnol", "spanish"].map((w) => [w, "es"] as const),
  ...["allemand", "german"].map((w) => [w, "de"] as const),
  ...["italien"].map((w) => [w, "it"] as const),
  ...["portugais"].map((w) => [w, "pt"] as const),
  ...["arabe"].map((w) => [w, "ar"] as const),
  ...["turc"].map((w) => [w, "tr"] as const),
  ...["polonais"].map((w) => [w, "pl"] as const),
  ...["neerlandais", "flamand"].map((w) => [w, "nl"] as const),
  ...["langue des signes", "lsf"].map((w) => [w, "fsl"] as const),
]);

/** Folded equipment word → the vocabulary term stored in profiles. */
export const EQUIPMENT_WORDS: ReadonlyMap<string, string> = new Map([
  ...["ecg", "electrocardiogramme", "electrocardiographe"].map((w) => [w, "ecg"] as const),
  ...["echographe", "echographie", "echo"].map((w) => [w, "echographe"] as const),
  ...["spirometre", "spirometrie"].map((w) => [w, "spirometre"] as const),
  ...["holter"].map((w) => [w, "holter"] as const),
  ...["mapa", "tensiometre"].map((w) => [w, "mapa"] as const),
  ...["dermatoscope", "dermatoscopie"].map((w) => [w, "dermatoscope"] as const),
  ...["retinographe", "retinographie"].map((w) => [w, "retinographe"] as const),
]);

/**
 * Words that carry no meaning for the search ("sage-femme qui parle anglais"), including
 * the operators of full-text search engines, which people paste by habit.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "and", "au", "aux", "avec", "chez", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "near", "not", "or", "ou", "par",
  "parle", "parlant", "pour", "pres", "proche", "qui", "sur", "un", "une", "vers",
]);

/**
 * National "Libellé savoir-faire" prefixes (folded) each specialty word covers, when they
 * differ from the specialty itself: the nomenclature changed over time (older "Pathologie
 * cardio-vasculaire", newer DES labels), and a capacité can answer the same need.
 */
export const SPECIALTY_LABEL_PREFIXES: ReadonlyMap<string, readonly string[]> = new Map([
  ["cardiologie", ["cardiologie", "pathologie cardio vasculaire", "medecine cardiovasculaire"]],
  ["endocrinologie diabetologie", ["endocrinologie"]],
  ["gastro enterologie et hepatologie", ["gastro enterologie", "hepato gastro enterologie"]],
  ["radiodiagnostic", ["radiodiagnostic", "radio diagnostic", "radiologie"]],
  ["geriatrie", ["geriatrie", "gerontologie"]],
  ["dermatologie", ["dermatologie"]],
  ["gynecologie medicale", ["gynecologie medicale", "gynecologie obstetrique"]],
]);
