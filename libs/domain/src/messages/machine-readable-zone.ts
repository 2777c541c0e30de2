import { alpha3ToAlpha2 } from 'i18n-iso-countries';
import { parse } from 'mrz';
import type { EntityProblem } from './entities';

/** What a passport's or an identity card's machine-readable zone says, in the fields of Liaison's entities. */
export interface ZoneFields {
  documentType: 'passport' | 'national-id' | 'residence-permit' | 'visa' | 'other';
  issuingCountry: string;
  number: string;
  nationality: string;
  names: string[];
  dateOfBirth: string | null;
  gender: 'female' | 'male' | 'unknown';
}

/** The two-letter ISO 3166 code of an ICAO state code: three letters, or Germany's D; British territories are GB. */
function country(code: string | null | undefined): string | null {
  if (!code) return null;
  const state = code.replace(/</g, '');
  if (state === 'D') return 'DE';
  if (/^GB[DNOPS]$/.test(state)) return 'GB';
  return alpha3ToAlpha2(state) ?? null;
}

/** YYMMDD as a calendar day: the latest century that does not put it after today. */
function birthDay(yymmdd: string | null | undefined, today: string): string | null {
  if (!yymmdd || !/^\d{6}$/.test(yymmdd)) return null;
  const [yy, mm, dd] = [yymmdd.slice(0, 2), yymmdd.slice(2, 4), yymmdd.slice(4, 6)];
  const recent = `20${yy}-${mm}-${dd}`;
  return recent <= today ? recent : `19${yy}-${mm}-${dd}`;
}

function documentType(code: string): ZoneFields['documentType'] {
  if (code.startsWith('P')) return 'passport';
  if (code.startsWith('V')) return 'visa';
  if (/^[IAC]R/.test(code)) return 'residence-permit';
  if (/^[IAC]/.test(code)) return 'national-id';
  return 'other';
}

/**
 * Reads the machine-readable zone of a passport (TD3: two lines of 44) or an identity card (TD1: three lines of
 * 30), as typed or pasted (lines apart, spaces and case ignored), with the `mrz` library: every check digit
 * checked, and the states named as ISO 3166 codes. A problem names the line it is on.
 */
export function readZone(text: string, today: string): { fields: ZoneFields } | { problem: string } {
  const lines = text
    .toUpperCase()
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ''))
    .filter((line) => line !== '');
  const shape = lines.map((line) => line.length).join(',');
  if (shape !== '44,44' && shape !== '30,30,30')
    return {
      problem: `must be a passport's 2 lines of 44 characters or an identity card's 3 lines of 30 (found ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} of ${shape || '0'})`,
    };
  let parsed;
  try {
    parsed = parse(lines);
  } catch {
    return { problem: 'may hold only letters, digits and <' };
  }
  const wrong = parsed.details.find((detail) => !detail.valid);
  if (wrong) return { problem: `line ${wrong.line + 1}: ${wrong.label}: ${wrong.error ?? 'not valid'}` };
  const { fields } = parsed;
  const issuingCountry = country(fields.issuingState);
  const nationality = country(fields.nationality);
  if (!issuingCountry || !nationality || !fields.documentNumber || !fields.documentCode)
    return { problem: 'line 1: a state, the document code or the number cannot be read' };
  return {
    fields: {
      documentType: documentType(fields.documentCode),
      issuingCountry,
      number: fields.documentNumber,
      nationality,
      names: [[fields.firstName, fields.lastName].filter(Boolean).join(' ')].filter((name) => name !== ''),
      dateOfBirth: birthDay(fields.birthDate, today),
      gender: fields.sex === 'female' || fields.sex === 'male' ? fields.sex : 'unknown',
    },
  };
}

/**
 * Entities as given, with every `mrz` read into the fields it fills (an identity document's type, country and
 * number; a person's names, date of birth, nationality and gender), fields given alongside it kept as given,
 * and the zone itself dropped. A zone that cannot be read is a problem on `entities[i].mrz`.
 */
export function withZonesRead(
  entities: readonly unknown[],
  today: string,
): { entities: unknown[]; problems: EntityProblem[] } {
  const problems: EntityProblem[] = [];
  const read = entities.map((entity, index) => {
    if (typeof entity !== 'object' || entity === null || !('mrz' in entity)) return entity;
    const { mrz, ...rest } = entity as Record<string, unknown>;
    if (rest.type !== 'identity-document' && rest.type !== 'person') return entity;
    if (typeof mrz !== 'string') {
      problems.push({ field: `entities[${index}].mrz`, message: 'must be the zone as text, its lines apart' });
      return entity;
    }
    const zone = readZone(mrz, today);
    if ('problem' in zone) {
      problems.push({ field: `entities[${index}].mrz`, message: zone.problem });
      return entity;
    }
    const { fields } = zone;
    const filled =
      rest.type === 'identity-document'
        ? { documentType: fields.documentType, issuingCountry: fields.issuingCountry, number: fields.number }
        : {
            names: fields.names,
            nationality: fields.nationality,
            gender: fields.gender,
            ...(fields.dateOfBirth ? { dateOfBirth: fields.dateOfBirth } : {}),
          };
    return { ...filled, ...rest };
  });
  return { entities: read, problems };
}

const TD3_LINES = /(?:^|\s)(P[A-Z0-9<][A-Z<]{3}[A-Z0-9<]{39})\s*\n\s*([A-Z0-9<]{44})(?=\s|$)/g;
const TD1_LINES =
  /(?:^|\s)([IAC][A-Z0-9<][A-Z<]{3}[A-Z0-9<]{25})\s*\n\s*([A-Z0-9<]{30})\s*\n\s*([A-Z0-9<]{30})(?=\s|$)/g;

/** Machine-readable zones written in free text whose check digits hold, read. */
export function zonesInText(text: string, today: string): ZoneFields[] {
  const found: ZoneFields[] = [];
  for (const pattern of [TD3_LINES, TD1_LINES])
    for (const match of text.matchAll(pattern)) {
      const zone = readZone(match.slice(1).join('\n'), today);
      if ('fields' in zone) found.push(zone.fields);
    }
  return found;
}
