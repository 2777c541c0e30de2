import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { hasCheckDigit, ibanProblem, lettersAndDigits, normaliseIban, vinProblem } from '../messages/entities';
import { zonesInText } from '../messages/machine-readable-zone';
import { nameTokens, phoneticKey } from './name-keys';

/**
 * Match keys: what two cases must share to be linked. Identifiers (phone, e-mail, IBAN, identity document,
 * vehicle, social-media account) give `strong` keys, exact once normalised. People give `candidate` keys,
 * from their folded names and from the names' sound, always with the date of birth: suggestions for a person
 * to confirm, never certain. Identifiers written only in a message's free text are found too, and marked
 * `extracted`.
 */
export type MatchStrength = 'strong' | 'candidate';
export type MatchKeyKind =
  'phone' | 'email' | 'iban' | 'document' | 'plate' | 'vin' | 'social' | 'person-name' | 'person-sound';

export interface MatchKey {
  /** `<kind>:<normalised value>`, the value two cases must share. */
  key: string;
  kind: MatchKeyKind;
  strength: MatchStrength;
  /** Found in the free text rather than given as a structured entity. */
  extracted: boolean;
  /** The entity's ref within its message (absent for extracted keys). */
  ref?: string;
}

export const KEY_STRENGTH: Record<MatchKeyKind, MatchStrength> = {
  phone: 'strong',
  email: 'strong',
  iban: 'strong',
  document: 'strong',
  plate: 'strong',
  vin: 'strong',
  social: 'strong',
  'person-name': 'candidate',
  'person-sound': 'candidate',
};

/** The entity type a key comes from, as a notification names it (never the value). */
export const KEY_ENTITY_TYPE: Record<MatchKeyKind, string> = {
  phone: 'phone',
  email: 'email',
  iban: 'bank-account',
  document: 'identity-document',
  plate: 'vehicle',
  vin: 'vehicle',
  social: 'social-media',
  'person-name': 'person',
  'person-sound': 'person',
};

function isCountry(value: unknown): value is CountryCode {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value);
}

/** A phone number in E.164, read with the country as a hint for national formats; null when not a number. */
export function normalisePhone(number: string, countryHint?: string): string | null {
  const parsed = parsePhoneNumberFromString(number, isCountry(countryHint) ? countryHint : undefined);
  return parsed?.isPossible() ? parsed.number : null;
}

export function normaliseEmail(address: string): string | null {
  const trimmed = address.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : null;
}

/** An IBAN without spaces, upper-cased; null unless its checksum holds. */
export function checkedIban(value: string): string | null {
  return ibanProblem(value) === null ? normaliseIban(value) : null;
}

/**
 * Ukraine, Bulgaria, Serbia, North Macedonia and Greece put on plates only the Cyrillic or Greek letters that
 * look like Latin ones, and their own registers and officers abroad write them either way: `АА 1234 ВС` and
 * `AA1234BC` are one plate. This is a table of look-alikes, not a transliteration (В is B on a plate, V in a
 * name), so no transliteration library serves it.
 */
const lookAlikes = (from: string, to: string): [string, string][] => [...from].map((c, i) => [c, to[i]]);
const PLATE_LOOK_ALIKES: Record<string, string> = Object.fromEntries([
  ...lookAlikes('АВЕІКМНОРСТУХ', 'ABEIKMHOPCTYX'),
  ...lookAlikes('ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', 'ABEZHIKMNOPTYX'),
]);

/**
 * A plate as compared: any country's separators and spacing (`B-AB 1234`, `B AB1234`) dropped, upper-cased,
 * look-alike Cyrillic and Greek letters read as the Latin ones they show, diacritics dropped (`MÜ` as `MU`).
 */
export function normalisePlate(value: string): string {
  const upper = value.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
  return lettersAndDigits([...upper].map((c) => PLATE_LOOK_ALIKES[c] ?? c).join(''));
}

/** A VIN as compared; null unless it is one (17 valid characters, the check digit where its region has one). */
export function checkedVin(value: string): string | null {
  return vinProblem(value) === null ? lettersAndDigits(value) : null;
}

/** A platform's name without `www.` or a domain ending, and a handle without `@`, both lower-cased. */
function socialKey(platform: string, handle: string): string | null {
  const site = platform
    .trim()
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.(com|net|org)$/, '');
  const name = handle.trim().toLowerCase().replace(/^@/, '');
  return site && name ? `${site}:${name}` : null;
}

type Fields = Record<string, unknown>;
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function entityKeys(entity: Fields, countryHint: string | undefined): [MatchKeyKind, string][] {
  switch (entity.type) {
    case 'phone': {
      const number = str(entity.number);
      const e164 = number === undefined ? null : normalisePhone(number, str(entity.country) ?? countryHint);
      return e164 ? [['phone', e164]] : [];
    }
    case 'email': {
      const address = str(entity.address);
      const email = address === undefined ? null : normaliseEmail(address);
      return email ? [['email', email]] : [];
    }
    case 'bank-account': {
      const iban = str(entity.iban);
      const checked = iban === undefined ? null : checkedIban(iban);
      return checked ? [['iban', checked]] : [];
    }
    case 'identity-document': {
      const [type, country, number] = [str(entity.documentType), str(entity.issuingCountry), str(entity.number)];
      return type && country && number
        ? [['document', `${type}:${country.toUpperCase()}:${lettersAndDigits(number)}`]]
        : [];
    }
    case 'vehicle': {
      const keys: [MatchKeyKind, string][] = [];
      const [plate, country, vin] = [str(entity.plate), str(entity.country), str(entity.vin)];
      if (plate && country && normalisePlate(plate))
        keys.push(['plate', `${country.toUpperCase()}:${normalisePlate(plate)}`]);
      const checked = vin === undefined ? null : checkedVin(vin);
      if (checked) keys.push(['vin', checked]);
      return keys;
    }
    case 'social-media': {
      const [platform, handle] = [str(entity.platform), str(entity.handle)];
      const key = platform && handle ? socialKey(platform, handle) : null;
      return key ? [['social', key]] : [];
    }
    case 'person': {
      const born = str(entity.dateOfBirth);
      const names = Array.isArray(entity.names) ? entity.names.filter((n): n is string => typeof n === 'string') : [];
      const tokens = nameTokens(names);
      // Without a date of birth a name alone links too many strangers to be worth suggesting.
      if (!born || tokens.length === 0) return [];
      const sounds = [...new Set(tokens.map(phoneticKey).filter(Boolean))].sort();
      return [
        ['person-name', `${tokens.join(' ')}|${born}`],
        ['person-sound', `${sounds.join(' ')}|${born}`],
      ];
    }
    default:
      return [];
  }
}

const VIN_IN_TEXT = /\b([A-HJ-NPR-Z0-9]{17})\b/gi;
const VIN_NAMED = /\b(vin|chassis|fin|fahrgestell\w*|vehicle identification number)\W*(no\.?|number|nr\.?)?\W*$/i;

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IBAN_IN_TEXT = /\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?\b/g;

/**
 * Phones, e-mail addresses, IBANs, VINs and passports' or identity cards' machine-readable zones written in
 * free text, normalised as if they had been structured. `today` (YYYY-MM-DD) reads the zones' dates.
 */
export function extractedKeys(
  text: string,
  countryHint?: string,
  today = new Date().toISOString().slice(0, 10),
): [MatchKeyKind, string][] {
  const keys: [MatchKeyKind, string][] = [];
  for (const found of findPhoneNumbersInText(text, isCountry(countryHint) ? countryHint : undefined))
    keys.push(['phone', found.number.number]);
  for (const match of text.matchAll(EMAIL_IN_TEXT)) {
    const email = normaliseEmail(match[0].replace(/\.+$/, ''));
    if (email) keys.push(['email', email]);
  }
  for (const match of text.matchAll(IBAN_IN_TEXT)) {
    const iban = checkedIban(match[0]);
    if (iban) keys.push(['iban', iban]);
  }
  for (const match of text.matchAll(VIN_IN_TEXT)) {
    const vin = match[1].toUpperCase();
    // Seventeen letters and digits are not always a VIN: it counts when its check digit holds (whatever the
    // region) or the text calls it one just before.
    if (
      checkedVin(vin) &&
      (hasCheckDigit(vin) || VIN_NAMED.test(text.slice(Math.max(0, match.index - 24), match.index)))
    )
      keys.push(['vin', vin]);
  }
  for (const zone of zonesInText(text, today))
    keys.push(['document', `${zone.documentType}:${zone.issuingCountry}:${lettersAndDigits(zone.number)}`]);
  return keys;
}

/** The match keys of one structured entity (a vehicle can give a plate and a VIN, a person two keys). */
export function entityMatchKeys(entity: Fields, countryHint?: string): MatchKey[] {
  return entityKeys(entity, countryHint).map(([kind, value]) => ({
    key: `${kind}:${value}`,
    kind,
    strength: KEY_STRENGTH[kind],
    extracted: false,
  }));
}

/** The kind of a stored match key (`<kind>:<value>`), or null when the text is not one. */
export function matchKeyKind(key: string): MatchKeyKind | null {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  return at > 0 && at < key.length - 1 && kind in KEY_STRENGTH ? (kind as MatchKeyKind) : null;
}

/** The normalised value of a match key, as shown to an owner it was released to. */
export function matchKeyValue(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/**
 * Every match key of a message: from its structured entities (each with its ref) and from its subject and
 * body. `countryHint` (the sender's country) reads national phone formats. A value given both ways counts
 * once, as structured.
 */
export function messageMatchKeys(entities: readonly Fields[], freeText: string, countryHint?: string): MatchKey[] {
  const keys = new Map<string, MatchKey>();
  for (const entity of entities) {
    const ref = str(entity.ref);
    for (const [kind, value] of entityKeys(entity, countryHint)) {
      const key = `${kind}:${value}`;
      if (!keys.has(key))
        keys.set(key, { key, kind, strength: KEY_STRENGTH[kind], extracted: false, ...(ref ? { ref } : {}) });
    }
  }
  for (const [kind, value] of extractedKeys(freeText, countryHint)) {
    const key = `${kind}:${value}`;
    if (!keys.has(key)) keys.set(key, { key, kind, strength: KEY_STRENGTH[kind], extracted: true });
  }
  return [...keys.values()];
}
