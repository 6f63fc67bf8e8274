// Site field rules shared by the API, the bulk CSV import and the web forms (pure, no Worker APIs).

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/;

/** A UK postcode normalised to upper case with one space ("sw1a1aa" → "SW1A 1AA"), or null if invalid. */
export function normalisePostcode(input: string): string | null {
  const m = POSTCODE.exec(input.trim().toUpperCase());
  return m ? `${m[1]} ${m[2]}` : null;
}
