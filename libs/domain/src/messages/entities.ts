/**
 * Structured entities a message can carry (after Europol's Universal Message Format): people, organisations,
 * means of communication, identity documents, vehicles, bank accounts and places, and the links between them.
 * Validation is pure: every problem names the field in the form `entities[i].field` that the API reports.
 */

import {
  getCountrySpecifications,
  validateBIC,
  validateIBAN,
  ValidationErrorsBIC,
  ValidationErrorsIBAN,
} from 'ibantools';
import { textProblem } from './text';

export const ENTITY_TYPES = [
  'person',
  'organisation',
  'phone',
  'email',
  'social-media',
  'identity-document',
  'vehicle',
  'bank-account',
  'location',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const DOCUMENT_TYPES = [
  'passport',
  'national-id',
  'residence-permit',
  'driving-licence',
  'visa',
  'other',
] as const;

export interface EntityProblem {
  field: string;
  message: string;
}

type Fields = Record<string, unknown>;

const COUNTRY = /^[A-Z]{2}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Spaces removed and upper-cased, as IBANs are compared. */
export function normaliseIban(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/**
 * ISO 13616, by the IBAN registry of every country that issues IBANs (`ibantools`, kept in step with SWIFT's
 * registry): the country, the length it gives its IBANs (named in the error), the shape of its BBAN, the check
 * digits, and for the countries that have one the national account checksum.
 */
export function ibanProblem(value: string): string | null {
  const iban = normaliseIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'is not an IBAN (two letters, two check digits, then the account)';
  const country = iban.slice(0, 2);
  const spec = getCountrySpecifications()[country];
  if (!spec?.chars || !spec.IBANRegistry) return `${country} is not a country that issues IBANs`;
  const { errorCodes } = validateIBAN(iban);
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength) || iban.length !== spec.chars)
    return `a ${country} IBAN has ${spec.chars} characters, not ${iban.length}`;
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat))
    return `is not laid out as a ${country} IBAN is (the account part has letters or digits where it should not)`;
  if (errorCodes.length > 0) return 'fails the IBAN checksum (a character is wrong or two are swapped)';
  return null;
}

/** ISO 9362: bank (4 letters), a country that exists (ISO 3166), location (2), and an optional branch (3). */
export function bicProblem(value: string): string | null {
  const { errorCodes } = validateBIC(value);
  if (errorCodes.includes(ValidationErrorsBIC.WrongBICFormat) || !/^[A-Z0-9]+$/.test(value))
    return 'is not a BIC (8 or 11 characters: bank, country, location, branch)';
  if (errorCodes.length > 0) return `${value.slice(4, 6)} in a BIC is not an ISO 3166 country code`;
  return null;
}

const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((letter, i) => [
    letter,
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i],
  ]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** Letters and digits only, upper-cased: how VINs, plates and document numbers are compared. */
export function lettersAndDigits(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * ISO 3779: 17 characters without I, O or Q. The 9th is a check digit only where the region requires one: North
 * America (a manufacturer code, WMI, starting 1 to 5) and China (L). European manufacturers put what they like
 * there (`WVWZZZ1JZ3W386752` is a Volkswagen), so elsewhere the check digit is not asked for.
 */
export function vinProblem(value: string): string | null {
  const vin = lettersAndDigits(value);
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return 'must be 17 characters without I, O or Q';
  if (!/^[1-5L]/.test(vin)) return null;
  const check = vinCheckDigit(vin);
  return vin[8] === check
    ? null
    : `the check digit (9th character) should be ${check}: VINs from North America and China carry one`;
}

/** The check digit ISO 3779 computes for a 17-character VIN (the 9th character, where a region asks for it). */
function vinCheckDigit(vin: string): string {
  const sum = [...vin].reduce(
    (total, char, i) => total + (/\d/.test(char) ? Number(char) : VIN_VALUES[char]) * VIN_WEIGHTS[i],
    0,
  );
  return sum % 11 === 10 ? 'X' : String(sum % 11);
}

/** Whether a VIN's 9th character is its computed check digit (true of every North American VIN, some others). */
export function hasCheckDigit(vin: string): boolean {
  return vin[8] === vinCheckDigit(vin);
}

function text(
  fields: Fields,
  name: string,
  problems: EntityProblem[],
  prefix: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) {
    if (options.required) problems.push({ field: `${prefix}.${name}`, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field: `${prefix}.${name}`, message: 'must be a non-empty string' });
    return undefined;
  }
  if (value.length > (options.max ?? 200))
    problems.push({ field: `${prefix}.${name}`, message: `must be at most ${options.max ?? 200} characters` });
  const problem = textProblem(value, 'single-line');
  if (problem) problems.push({ field: `${prefix}.${name}`, message: problem });
  return value;
}

function oneOf(
  fields: Fields,
  name: string,
  values: readonly string[],
  problems: EntityProblem[],
  prefix: string,
  required = false,
): void {
  const value = fields[name];
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !values.includes(value))
    problems.push({ field: `${prefix}.${name}`, message: `must be one of ${values.join(', ')}` });
}

function country(fields: Fields, name: string, problems: EntityProblem[], prefix: string, required = false): void {
  const value = fields[name];
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !COUNTRY.test(value))
    problems.push({ field: `${prefix}.${name}`, message: 'must be an ISO 3166 country code such as RO' });
}

const CHECKS: Record<EntityType, (fields: Fields, problems: EntityProblem[], prefix: string, today: string) => void> = {
  person(fields, problems, prefix, today) {
    const names = fields.names;
    if (
      !Array.isArray(names) ||
      names.length === 0 ||
      names.length > 10 ||
      names.some((n) => typeof n !== 'string' || n.trim() === '' || n.length > 100)
    ) {
      problems.push({
        field: `${prefix}.names`,
        message: 'must be 1 to 10 names (given names and surnames, or known aliases)',
      });
    } else {
      names.forEach((name: string, index) => {
        const problem = textProblem(name, 'single-line');
        if (problem) problems.push({ field: `${prefix}.names[${index}]`, message: problem });
      });
    }
    const born = fields.dateOfBirth;
    if (born !== undefined) {
      const valid =
        typeof born === 'string' &&
        ISO_DAY.test(born) &&
        new Date(`${born}T00:00:00Z`).toISOString().slice(0, 10) === born;
      if (!valid) problems.push({ field: `${prefix}.dateOfBirth`, message: 'must be a calendar date, YYYY-MM-DD' });
      else if (born > today) problems.push({ field: `${prefix}.dateOfBirth`, message: 'cannot be in the future' });
      else if (born < '1900-01-01') problems.push({ field: `${prefix}.dateOfBirth`, message: 'is before 1900' });
    }
    country(fields, 'nationality', problems, prefix);
    oneOf(fields, 'gender', GENDERS, problems, prefix);
  },
  organisation(fields, problems, prefix) {
    text(fields, 'name', problems, prefix, { required: true });
    text(fields, 'registrationNumber', problems, prefix, { max: 50 });
    country(fields, 'country', problems, prefix);
  },
  phone(fields, problems, prefix) {
    const number = text(fields, 'number', problems, prefix, { required: true, max: 30 });
    if (number !== undefined) {
      const digits = number.replace(/\D/g, '');
      if (!/^\+?[\d\s().-]+$/.test(number) || digits.length < 6 || digits.length > 15) {
        problems.push({
          field: `${prefix}.number`,
          message: 'must be a phone number: 6 to 15 digits, optionally with + and separators',
        });
      }
    }
    country(fields, 'country', problems, prefix);
  },
  email(fields, problems, prefix) {
    const address = text(fields, 'address', problems, prefix, { required: true, max: 254 });
    if (address !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address))
      problems.push({ field: `${prefix}.address`, message: 'must be an e-mail address' });
  },
  'social-media'(fields, problems, prefix) {
    text(fields, 'platform', problems, prefix, { required: true, max: 50 });
    text(fields, 'handle', problems, prefix, { required: true, max: 100 });
  },
  'identity-document'(fields, problems, prefix) {
    oneOf(fields, 'documentType', DOCUMENT_TYPES, problems, prefix, true);
    country(fields, 'issuingCountry', problems, prefix, true);
    const number = text(fields, 'number', problems, prefix, { required: true, max: 40 });
    if (number !== undefined && !/^[A-Za-z0-9 \-/]+$/.test(number))
      problems.push({ field: `${prefix}.number`, message: 'may hold letters, digits, spaces, - and / only' });
  },
  vehicle(fields, problems, prefix) {
    const plate = text(fields, 'plate', problems, prefix, { max: 20 });
    const vin = text(fields, 'vin', problems, prefix, { max: 17 });
    if (plate === undefined && vin === undefined && !problems.some((p) => p.field.startsWith(`${prefix}.`))) {
      problems.push({ field: `${prefix}.plate`, message: 'a vehicle needs a plate or a VIN' });
    }
    const vinIssue = vin === undefined ? null : vinProblem(vin);
    if (vinIssue) problems.push({ field: `${prefix}.vin`, message: vinIssue });
    country(fields, 'country', problems, prefix, plate !== undefined);
  },
  'bank-account'(fields, problems, prefix) {
    const iban = text(fields, 'iban', problems, prefix, { required: true, max: 50 });
    const issue = iban === undefined ? null : ibanProblem(iban);
    if (issue) problems.push({ field: `${prefix}.iban`, message: issue });
    const bic = text(fields, 'bic', problems, prefix, { max: 11 });
    const bicIssue = bic === undefined ? null : bicProblem(bic);
    if (bicIssue) problems.push({ field: `${prefix}.bic`, message: bicIssue });
  },
  location(fields, problems, prefix) {
    const address = text(fields, 'address', problems, prefix, { max: 300 });
    text(fields, 'city', problems, prefix, { max: 100 });
    country(fields, 'country', problems, prefix, address !== undefined);
    const { latitude, longitude } = fields;
    if (latitude !== undefined || longitude !== undefined) {
      if (typeof latitude !== 'number' || latitude < -90 || latitude > 90)
        problems.push({ field: `${prefix}.latitude`, message: 'must be a number from -90 to 90' });
      if (typeof longitude !== 'number' || longitude < -180 || longitude > 180)
        problems.push({ field: `${prefix}.longitude`, message: 'must be a number from -180 to 180' });
    } else if (address === undefined) {
      problems.push({ field: `${prefix}.address`, message: 'a location needs an address or coordinates' });
    }
  },
};

const ALLOWED: Record<EntityType, readonly string[]> = {
  person: ['names', 'dateOfBirth', 'nationality', 'gender'],
  organisation: ['name', 'registrationNumber', 'country'],
  phone: ['number', 'country'],
  email: ['address'],
  'social-media': ['platform', 'handle'],
  'identity-document': ['documentType', 'issuingCountry', 'number'],
  vehicle: ['plate', 'country', 'vin'],
  'bank-account': ['iban', 'bic'],
  location: ['address', 'city', 'country', 'latitude', 'longitude'],
};

export interface EntityLink {
  from: string;
  to: string;
  relation: string;
}

/**
 * Checks a message's entities and the links between them. Each entity has a `ref` unique within the
 * message (e.g. "p1") that links name; `today` (YYYY-MM-DD) bounds dates of birth.
 */
export function entityProblems(
  entities: readonly unknown[],
  links: readonly unknown[],
  today: string,
): EntityProblem[] {
  const problems: EntityProblem[] = [];
  const refs = new Set<string>();
  entities.forEach((raw, index) => {
    const prefix = `entities[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ field: prefix, message: 'must be an object' });
      return;
    }
    const { type, ref, ...fields } = raw as Fields;
    if (typeof ref !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(ref))
      problems.push({ field: `${prefix}.ref`, message: 'must be a short id such as p1, unique in the message' });
    else if (refs.has(ref)) problems.push({ field: `${prefix}.ref`, message: `${ref} is used twice` });
    else refs.add(ref);
    if (typeof type !== 'string' || !(ENTITY_TYPES as readonly string[]).includes(type)) {
      problems.push({ field: `${prefix}.type`, message: `must be one of ${ENTITY_TYPES.join(', ')}` });
      return;
    }
    const entityType = type as EntityType;
    for (const name of Object.keys(fields)) {
      if (!ALLOWED[entityType].includes(name))
        problems.push({ field: `${prefix}.${name}`, message: `is not a field of a ${entityType}` });
    }
    CHECKS[entityType](fields, problems, prefix, today);
  });
  links.forEach((raw, index) => {
    const prefix = `links[${index}]`;
    const link = (typeof raw === 'object' && raw !== null ? raw : {}) as Fields;
    for (const end of ['from', 'to'] as const) {
      if (typeof link[end] !== 'string' || !refs.has(link[end]))
        problems.push({ field: `${prefix}.${end}`, message: 'must be the ref of an entity in this message' });
    }
    if (link.from === link.to && typeof link.from === 'string')
      problems.push({ field: `${prefix}.to`, message: 'an entity cannot be linked to itself' });
    if (typeof link.relation !== 'string' || !/^[a-z][a-z-]{1,39}$/.test(link.relation)) {
      problems.push({
        field: `${prefix}.relation`,
        message: 'must be a lower-case relation such as uses, owns, lives-at',
      });
    }
  });
  return problems;
}
