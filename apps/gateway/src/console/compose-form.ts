import { DOCUMENT_TYPES, ENTITY_TYPES, GENDERS, type EntityType } from '@liaison/domain';

/** A field of an entity as the compose form shows it. */
export interface EntityField {
  name: string;
  label: string;
  hint?: string;
  /** `zone`: a passport's or identity card's machine-readable zone, lines as printed. */
  kind: 'text' | 'select' | 'date' | 'zone';
  options?: readonly string[];
  /** Narrow inputs for short codes. */
  width?: 'govuk-input--width-2' | 'govuk-input--width-10' | 'govuk-input--width-20';
}

const COUNTRY_HINT = 'Two letters, for example RO or GB';

/** Each entity type's fields in the form, in the order a person fills them. */
export const ENTITY_FORMS: Record<EntityType, { label: string; fields: EntityField[] }> = {
  person: {
    label: 'Person',
    fields: [
      { name: 'givenNames', label: 'Given names', kind: 'text' },
      { name: 'familyName', label: 'Family name', kind: 'text' },
      { name: 'dateOfBirth', label: 'Date of birth', hint: 'For example, 2 4 1988', kind: 'date' },
      { name: 'nationality', label: 'Nationality', hint: COUNTRY_HINT, kind: 'text', width: 'govuk-input--width-2' },
      { name: 'gender', label: 'Gender', kind: 'select', options: GENDERS },
    ],
  },
  organisation: {
    label: 'Organisation',
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'registrationNumber', label: 'Registration number', kind: 'text', width: 'govuk-input--width-20' },
      { name: 'country', label: 'Country', hint: COUNTRY_HINT, kind: 'text', width: 'govuk-input--width-2' },
    ],
  },
  phone: {
    label: 'Phone number',
    fields: [
      {
        name: 'number',
        label: 'Number',
        hint: 'With its country code, for example +40 721 234 567',
        kind: 'text',
        width: 'govuk-input--width-20',
      },
      { name: 'country', label: 'Country', hint: COUNTRY_HINT, kind: 'text', width: 'govuk-input--width-2' },
    ],
  },
  email: { label: 'E-mail address', fields: [{ name: 'address', label: 'Address', kind: 'text' }] },
  'social-media': {
    label: 'Social media account',
    fields: [
      { name: 'platform', label: 'Platform', kind: 'text', width: 'govuk-input--width-20' },
      { name: 'handle', label: 'Account name', kind: 'text', width: 'govuk-input--width-20' },
    ],
  },
  'identity-document': {
    label: 'Identity document',
    fields: [
      { name: 'documentType', label: 'Kind of document', kind: 'select', options: DOCUMENT_TYPES },
      { name: 'number', label: 'Document number', kind: 'text', width: 'govuk-input--width-20' },
      {
        name: 'issuingCountry',
        label: 'Issuing country',
        hint: COUNTRY_HINT,
        kind: 'text',
        width: 'govuk-input--width-2',
      },
      {
        name: 'mrz',
        label: 'Or the machine-readable zone',
        hint: "The 2 lines at the foot of a passport's photo page, or the 3 on the back of an identity card, as printed. It fills in the kind, number and country.",
        kind: 'zone',
      },
    ],
  },
  vehicle: {
    label: 'Vehicle',
    fields: [
      { name: 'plate', label: 'Registration plate', kind: 'text', width: 'govuk-input--width-10' },
      {
        name: 'country',
        label: 'Country of registration',
        hint: COUNTRY_HINT,
        kind: 'text',
        width: 'govuk-input--width-2',
      },
      {
        name: 'vin',
        label: 'Vehicle identification number (VIN)',
        hint: '17 characters',
        kind: 'text',
        width: 'govuk-input--width-20',
      },
    ],
  },
  'bank-account': {
    label: 'Bank account',
    fields: [
      { name: 'iban', label: 'IBAN', kind: 'text', width: 'govuk-input--width-20' },
      { name: 'bic', label: 'BIC', hint: '8 or 11 characters', kind: 'text', width: 'govuk-input--width-10' },
    ],
  },
  location: {
    label: 'Address or place',
    fields: [
      { name: 'address', label: 'Address', kind: 'text' },
      { name: 'city', label: 'Town or city', kind: 'text', width: 'govuk-input--width-20' },
      { name: 'country', label: 'Country', hint: COUNTRY_HINT, kind: 'text', width: 'govuk-input--width-2' },
    ],
  },
};

/** An entity as the form holds it: every value a string, as typed. */
export interface DraftEntity {
  type: EntityType;
  values: Record<string, string>;
}

/** What a person has written so far: the compose form's fields, kept as a draft. */
export interface DraftContent {
  /** A reply answers one message; its case and recipient follow from it. */
  inReplyTo?: string;
  caseReference?: string;
  type: 'request' | 'information' | 'cross-check' | 'reply';
  recipients: string[];
  priority: string;
  handlingCode: string;
  restriction: string;
  evaluationSource: string;
  evaluationInformation: string;
  subject: string;
  body: string;
  entities: DraftEntity[];
  /** Files uploaded for the message (kept by the upload's id until it is sent). */
  attachments?: { id: string; fileName: string; size: number }[];
}

export function emptyDraft(start: Partial<DraftContent> = {}): DraftContent {
  return {
    type: 'request',
    recipients: [],
    priority: 'normal',
    handlingCode: 'H0',
    restriction: '',
    evaluationSource: '',
    evaluationInformation: '',
    subject: '',
    body: '',
    entities: [],
    ...start,
  };
}

const single = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
const many = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];

/** The draft as the posted form leaves it (fields not on the form keep their values). */
export function draftFromForm(form: Record<string, unknown>, previous: DraftContent): DraftContent {
  const entities: DraftEntity[] = previous.entities.map((entity, index) => {
    const values: Record<string, string> = {};
    for (const field of ENTITY_FORMS[entity.type].fields) {
      if (field.kind === 'date')
        for (const part of ['day', 'month', 'year'])
          values[`${field.name}-${part}`] = single(form[`entity-${index}-${field.name}-${part}`]).trim();
      else values[field.name] = single(form[`entity-${index}-${field.name}`]).trim();
    }
    return { type: entity.type, values };
  });
  const type = single(form.type);
  return {
    ...previous,
    type: previous.inReplyTo
      ? 'reply'
      : type === 'information' || type === 'cross-check' || type === 'request'
        ? type
        : previous.type,
    recipients: previous.inReplyTo ? previous.recipients : many(form.recipients),
    priority: single(form.priority) || previous.priority,
    handlingCode: single(form.handlingCode) || previous.handlingCode,
    restriction: single(form.restriction),
    evaluationSource: single(form.evaluationSource),
    evaluationInformation: single(form.evaluationInformation),
    subject: single(form.subject),
    body: single(form.body),
    entities,
  };
}

/** The draft naming one more attachment, uploaded (with or without the console's script). */
export function withAttachment(
  draft: DraftContent,
  upload: { id: string; fileName: string; size: number },
): DraftContent {
  return {
    ...draft,
    attachments: [...(draft.attachments ?? []), { id: upload.id, fileName: upload.fileName, size: upload.size }],
  };
}

/** The draft with one more (empty) entity of the type, or without the one at `index`. */
export function withEntity(draft: DraftContent, type: string): DraftContent {
  if (!(ENTITY_TYPES as readonly string[]).includes(type)) return draft;
  return { ...draft, entities: [...draft.entities, { type: type as EntityType, values: {} }] };
}

export function withoutEntity(draft: DraftContent, index: number): DraftContent {
  return { ...draft, entities: draft.entities.filter((_, i) => i !== index) };
}

export function withoutAttachment(draft: DraftContent, index: number): DraftContent {
  return { ...draft, attachments: (draft.attachments ?? []).filter((_, i) => i !== index) };
}

/** A day typed as three numbers, as ISO 8601 (YYYY-MM-DD); what was typed, joined, if it is not a date. */
function isoDay(day: string, month: string, year: string): string | undefined {
  if (!day && !month && !year) return undefined;
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The request the draft stands for, in the API's shape: what `POST /v1/messages` would be sent. */
export function submissionOf(draft: DraftContent): Record<string, unknown> {
  const entities = draft.entities.map((entity, index) => {
    const out: Record<string, unknown> = { ref: `e${index + 1}`, type: entity.type };
    const v = entity.values;
    if (entity.type === 'person') {
      const names = [...(v.givenNames ?? '').split(/\s+/), ...(v.familyName ?? '').split(/\s+/)].filter(Boolean);
      if (names.length) out.names = names;
      const born = isoDay(v['dateOfBirth-day'] ?? '', v['dateOfBirth-month'] ?? '', v['dateOfBirth-year'] ?? '');
      if (born) out.dateOfBirth = born;
      if (v.nationality) out.nationality = v.nationality.toUpperCase();
      if (v.gender) out.gender = v.gender;
      return out;
    }
    for (const field of ENTITY_FORMS[entity.type].fields) {
      const value = v[field.name];
      if (value) out[field.name] = /country/i.test(field.name) ? value.toUpperCase() : value;
    }
    return out;
  });
  return {
    type: draft.type,
    ...(draft.inReplyTo ? { inReplyTo: draft.inReplyTo } : {}),
    recipients: draft.recipients,
    ...(draft.caseReference ? { caseReference: draft.caseReference } : {}),
    priority: draft.priority,
    handling: { code: draft.handlingCode, ...(draft.handlingCode === 'H3' ? { restriction: draft.restriction } : {}) },
    ...(draft.evaluationSource || draft.evaluationInformation
      ? { evaluation: { scheme: '4x4', source: draft.evaluationSource, information: draft.evaluationInformation } }
      : {}),
    subject: draft.subject,
    body: draft.body,
    ...(entities.length ? { entities } : {}),
    ...(draft.attachments?.length ? { attachments: draft.attachments.map((a) => a.id) } : {}),
  };
}

/**
 * The form field a problem of the API's request names (`entities[0].names` → `entity-0-givenNames`), so each
 * error in the summary links to the field that will fix it.
 */
export function formFieldOf(apiField: string, draft: DraftContent): string {
  const entity = /^entities\[(\d+)\](?:\.(\w+))?/.exec(apiField);
  if (entity) {
    const index = Number(entity[1]);
    const type = draft.entities[index]?.type;
    const name = entity[2];
    if (!type || !name) return `entity-${index}`;
    if (type === 'person' && name === 'names') return `entity-${index}-givenNames`;
    if (type === 'person' && name === 'dateOfBirth') return `entity-${index}-dateOfBirth-day`;
    return `entity-${index}-${name}`;
  }
  const top = apiField.split(/[.[]/)[0];
  if (top === 'handling') return apiField.includes('restriction') ? 'restriction' : 'handlingCode';
  if (top === 'evaluation') return 'evaluationSource';
  if (top === 'recipients' || top === 'body' || top === 'subject' || top === 'priority' || top === 'type') return top;
  return 'subject';
}

/** The API's wording of a problem, as a sentence for the person: "subject must not be empty" → "Enter a subject". */
export function problemWords(field: string, message: string): string {
  if (field === 'recipients' && /at least|empty|must contain/i.test(message)) return 'Choose at least one recipient';
  if (field === 'subject' && /empty|should not be empty|required/i.test(message)) return 'Enter a subject';
  if (field === 'body' && /empty|should not be empty|required/i.test(message)) return 'Enter the message';
  const text = message.startsWith(field) ? message.slice(field.length).trim() : message;
  const label = fieldLabel(field);
  return `${label} ${text}`.trim().replace(/^./, (c) => c.toUpperCase());
}

function fieldLabel(apiField: string): string {
  const entity = /^entities\[(\d+)\](?:\.(\w+))?/.exec(apiField);
  if (entity) return `Entity ${Number(entity[1]) + 1}${entity[2] ? ` ${humanise(entity[2])}` : ''}`;
  return humanise(apiField.split(/[.[]/)[0]);
}

const humanise = (name: string) => name.replace(/([A-Z])/g, ' $1').toLowerCase();
