import { entityMatchKeys, type MatchKey } from '@liaison/domain';
import { seededRandom } from '@liaison/testing';

/**
 * The traffic `bench:matching` indexes and matches: one case per message, 1-9 keys per message of six kinds, most
 * values new, some recurring from earlier cases, a few hot ones (see the benchmark's own description).
 */
const AGENCIES = [
  'GB-WMP',
  'GB-MET',
  'GB-GMP',
  'GB-NCA-UKLB',
  'RO-ENU',
  'BG-ENU',
  'NL-ENU',
  'FR-ENU',
  'ES-ENU',
  'PL-ENU',
  'HU-ENU',
  'SK-ENU',
  'LT-ENU',
  'IT-ENU',
  'DE-ENU',
];
const FIRST = [
  'ion',
  'maria',
  'stefan',
  'elena',
  'andrei',
  'ana',
  'mihai',
  'ioana',
  'georgi',
  'petar',
  'jan',
  'anna',
  'tomasz',
  'katarzyna',
  'daniel',
  'gabriel',
];
const LAST = [
  'popescu',
  'ionescu',
  'munteanu',
  'dumitru',
  'stan',
  'georgiev',
  'ivanov',
  'dimitrov',
  'kowalski',
  'nowak',
  'horvath',
  'nagy',
  'kazlauskas',
  'rossi',
  'garcia',
  'muller',
];

export type Kind = 'phone' | 'email' | 'iban' | 'document' | 'plate' | 'person';
const KINDS: [Kind, number][] = [
  ['phone', 0.4],
  ['email', 0.15],
  ['iban', 0.1],
  ['document', 0.1],
  ['plate', 0.1],
  ['person', 0.15],
];

/** An IBAN with a valid check: Romanian format, bank code and account from the value number. */
function iban(n: number): string {
  const bban = `BANK${String(n).padStart(16, '0')}`;
  const digits = `${bban}RO00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return `RO${String(98 - rest).padStart(2, '0')}${bban}`;
}

/** The entity for value number `n` of a kind, as a message would carry it. */
export function entity(kind: Kind, n: number): Record<string, unknown> {
  switch (kind) {
    case 'phone': {
      const digits = String(720_000_000 + (n % 80_000_000));
      return {
        type: 'phone',
        number: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
        country: 'RO',
      };
    }
    case 'email':
      return { type: 'email', address: `contact${n}@mail${n % 97}.example.ro` };
    case 'iban':
      return { type: 'bank-account', iban: iban(n) };
    case 'document':
      return {
        type: 'identity-document',
        documentType: 'passport',
        issuingCountry: 'RO',
        number: `05${String(n).padStart(8, '0')}`,
      };
    case 'plate':
      return {
        type: 'vehicle',
        plate: `B ${String(n % 1000).padStart(3, '0')} ${String.fromCharCode(65 + (n % 26), 65 + (Math.floor(n / 26) % 26), 65 + (Math.floor(n / 676) % 26))}${Math.floor(n / 17_576)}`,
        country: 'RO',
      };
    case 'person': {
      // 256 names and any day of 70 years: two people share a name and a date of birth about as often as in life.
      const born = new Date(Date.UTC(1940, 0, 1) + ((n * 7919) % 25_567) * 86_400_000);
      return {
        type: 'person',
        names: [FIRST[n % FIRST.length], LAST[Math.floor(n / FIRST.length) % LAST.length]],
        dateOfBirth: born.toISOString().slice(0, 10),
      };
    }
  }
}

/** The normalised keys of value `n` of a kind, computed without the phone library (as fast as the index takes them). */
export function keysOf(kind: Kind, n: number): MatchKey[] {
  if (kind === 'phone')
    return [{ key: `phone:+40${720_000_000 + (n % 80_000_000)}`, kind: 'phone', strength: 'strong', extracted: false }];
  if (kind === 'email')
    return [{ key: `email:contact${n}@mail${n % 97}.example.ro`, kind: 'email', strength: 'strong', extracted: false }];
  return entityMatchKeys(entity(kind, n));
}

/** The share of values that recur from an earlier case (any earlier value alike), and of values from a few hot ones. */
const RECURRING = 0.03;
const HOT = 0.005;
/** Hot values per kind (a hotel switchboard, a facilitator's shared address), drawn with a skewed popularity. */
const HOT_VALUES = 500;

export class Traffic {
  private readonly random = seededRandom(20_261_123);
  /** The next new value number of each kind; 1 to HOT_VALUES are the hot ones. */
  private readonly next = new Map<Kind, number>(KINDS.map(([kind]) => [kind, HOT_VALUES + 1]));
  private messages = 0;

  private kind(): Kind {
    const r = this.random();
    for (let i = 0, acc = 0; i < KINDS.length; i++) {
      acc += KINDS[i][1];
      if (r < acc) return KINDS[i][0];
    }
    return 'phone';
  }

  /** An earlier value of a kind, any alike. */
  private earlier(kind: Kind): number {
    return HOT_VALUES + 1 + Math.floor(this.random() * (this.next.get(kind)! - HOT_VALUES - 1));
  }

  /** The kind and value number of one entity: mostly new, some recurring from an earlier case, a few hot. */
  value(): [Kind, number] {
    const kind = this.kind();
    const r = this.random();
    if (r < HOT) return [kind, Math.floor(HOT_VALUES ** this.random())];
    if (r < HOT + RECURRING && this.next.get(kind)! > HOT_VALUES + 1) return [kind, this.earlier(kind)];
    const n = this.next.get(kind)!;
    this.next.set(kind, n + 1);
    return [kind, n];
  }

  /** An earlier value, for stream messages that should match. */
  known(): [Kind, number] {
    const kind = this.kind();
    return [kind, this.earlier(kind)];
  }

  message(prefix: string): { messageId: string; caseReference: string; agency: string; count: number } {
    this.messages++;
    const n = this.messages;
    return {
      messageId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      caseReference: `${prefix}-${n.toString(36).toUpperCase().padStart(9, '0')}`,
      agency: AGENCIES[n % AGENCIES.length],
      count: 1 + Math.floor(this.random() * 9),
    };
  }
}
