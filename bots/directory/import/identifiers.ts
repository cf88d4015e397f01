/** A professional's identifier in the national directory. */
export type IdentifierType = "rpps" | "adeli";
export type Rpps = string & { readonly __brand: "Rpps" };

export interface PersonIdentifier {
  readonly type: IdentifierType;
  /** RPPS number (11 digits) or ADELI number (9 characters). */
  readonly identifier: string;
  /** "Identification nationale PP": the type digit (8 RPPS, 0 ADELI) then the identifier; unique across types. */
  readonly nationalId: string;
}

/** The RPPS number's last digit is a Luhn key (checked against published numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isRpps(value: string): value is Rpps {
  return /^\d{11}$/.test(value) && luhnValid(value);
}

// ADELI: département (2A/2B for Corsica), profession, serial and key; its key is not a Luhn digit.
const ADELI = /^(\d{2}|2[AB])\d{7}$/;

/** Checks the three identifier columns together; returns the reason in French when they do not hold. */
export function parseIdentifier(typeCode: string, identifier: string, nationalId: string): PersonIdentifier | string {
  if (typeCode === "8") {
    if (!isRpps(identifier)) return `numéro RPPS invalide (« ${identifier} »)`;
  } else if (typeCode === "0") {
    if (!ADELI.test(identifier)) return `numéro ADELI invalide (« ${identifier} »)`;
  } else {
    return `type d'identifiant inconnu (« ${typeCode} »)`;
  }
  if (nationalId !== typeCode + identifier) return `identification nationale incohérente (« ${nationalId} »)`;
  return { type: typeCode === "8" ? "rpps" : "adeli", identifier, nationalId };
}
