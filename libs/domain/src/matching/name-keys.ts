import anyAscii from 'any-ascii';

/**
 * How people's names are compared across countries and scripts: folded to plain Latin letters (diacritics
 * removed, Cyrillic and Greek by our own rules, every other script by `any-ascii`, case and punctuation
 * ignored), and reduced to a phonetic key
 * so that near spellings of the same name (Popescu, Popesku; Stefan, Stephan) meet. Both are only ever the
 * basis of a candidate match, for a person to confirm.
 */

/** Cyrillic letters (Russian, Ukrainian, Bulgarian, Serbian, Macedonian) in a plain Latin transliteration. */
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  ђ: 'dj',
  ѓ: 'gj',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  ѕ: 'dz',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'c',
  ќ: 'kj',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  џ: 'dz',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Greek letters (accents already removed) in a plain Latin transliteration. */
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/** Latin letters that Unicode does not decompose into a base letter and a mark. */
const LATIN: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŀ: 'l',
};

const LETTERS: Record<string, string> = { ...CYRILLIC, ...GREEK, ...LATIN };

/** Only ASCII: nothing left for the transliteration library to do (most names, so worth the check). */
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A name as comparable Latin text: lower case, no diacritics, other scripts transliterated, anything that is
 * not a letter or digit turned into a single space. `Ștefan POPESCU` and `Stefan  Popescu` fold alike.
 *
 * Cyrillic and Greek go by our own tables first: they follow how the partner countries' passports write names
 * (Ђорђе as djordje, Петровић as petrovic, Ευαγγέλου as evaggelou), where a general library reads ου as oy. Every other script
 * (Georgian, Armenian, Arabic, Hebrew, Chinese, Devanagari...) goes through `any-ascii`, chosen over
 * `transliteration` on the partner countries' names: it writes Georgian ძ as dz (ბერიძე as beridze, as Georgian
 * passports do; `transliteration` gives beriz'e) and ships a sixth of the size. A Chinese name's first character
 * is the family name and the rest one given name, as pinyin writes them (王小明 as wang xiaoming). Where nothing
 * Latin results, the name keeps its own letters, normalised: a name never folds to nothing.
 */
export function foldName(text: string): string {
  // Greek vowel pairs first (ELOT 743): ου is u, αυ and ευ are av and ev.
  const lowered = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ου/g, 'ou')
    .replace(/([αε])υ/g, (_pair, vowel: string) => `${GREEK[vowel]}v`);
  let folded = '';
  for (const char of lowered) folded += LETTERS[char] ?? char;
  // Symbols (emoji among them) are not part of a name, whatever a transliteration would call them.
  if (!ASCII.test(folded))
    folded = anyAscii(
      folded.replace(/\p{S}+/gu, ' ').replace(/\p{Script=Han}+/gu, (run) => {
        const [family, ...given] = [...run].map((char) => anyAscii(char));
        return ` ${family} ${given.join('')} `;
      }),
    );
  const latin = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (latin !== '') return latin;
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The folded words of a person's names, each once, in alphabetical order: word order is ignored. */
export function nameTokens(names: readonly string[]): string[] {
  const tokens = new Set(names.flatMap((name) => foldName(name).split(' ')).filter((token) => token.length > 0));
  return [...tokens].sort();
}

/** Spellings that sound alike, rewritten to one form before vowels are dropped. Order matters. */
const SOUND_RULES: [RegExp, string][] = [
  [/[^a-z]/g, ''],
  [/(.)\1+/g, '$1'],
  [/x/g, 'ks'],
  [/ph/g, 'f'],
  // One mark, '#', for the sh-like sounds however a language or a transliteration spells them.
  [/(tsch|sch|sh|zh|ch|cz|sz)/g, '#'],
  [/(ts|tz|dz)/g, 's'],
  [/kh/g, 'h'],
  [/th/g, 't'],
  [/ck/g, 'k'],
  [/c(?=[eiy])/g, 's'],
  [/[cq]/g, 'k'],
  [/w/g, 'v'],
  [/z/g, 's'],
  [/j/g, 'y'],
  [/gh/g, 'g'],
  [/h/g, ''],
  [/f$/, 'v'],
];

/**
 * A phonetic key for one folded word, in the spirit of Metaphone: letters that sound alike are merged,
 * vowels after the first letter dropped, and repeated sounds kept once. `popescu` and `popesku` give `psk`,
 * `stefan` and `stephan` give `stfn`.
 */
export function phoneticKey(word: string): string {
  let sound = word.toLowerCase();
  for (const [pattern, replacement] of SOUND_RULES) sound = sound.replace(pattern, replacement);
  if (sound.length === 0) return '';
  const [first, ...rest] = sound;
  const head = /[aeiouy]/.test(first) ? 'a' : first;
  const tail = rest.join('').replace(/[aeiouy]/g, '');
  return (head + tail).replace(/(.)\1+/g, '$1');
}
