import {
  draftFromForm,
  emptyDraft,
  formFieldOf,
  problemWords,
  submissionOf,
  withEntity,
  withoutEntity,
  type DraftContent,
} from './compose-form';

describe('the compose form', () => {
  it('keeps what the form sent, one value per field and every recipient ticked', () => {
    const draft = withEntity(emptyDraft(), 'person');
    const next = draftFromForm(
      {
        recipients: ['RO-ENU', 'BG-GDBOP'],
        type: 'cross-check',
        priority: 'urgent',
        handlingCode: 'H3',
        restriction: 'Not for the press',
        subject: 'Subject',
        body: 'Body',
        'entity-0-givenNames': ' Stefan ',
        'entity-0-familyName': 'POPESCU',
        'entity-0-dateOfBirth-day': '2',
        'entity-0-dateOfBirth-month': '4',
        'entity-0-dateOfBirth-year': '1988',
      },
      draft,
    );
    expect(next).toMatchObject({ recipients: ['RO-ENU', 'BG-GDBOP'], type: 'cross-check', handlingCode: 'H3' });
    expect(next.entities[0].values).toMatchObject({ givenNames: 'Stefan', 'dateOfBirth-year': '1988' });
  });

  it('keeps a reply to its one recipient, whatever the form says', () => {
    const reply = emptyDraft({ type: 'reply', inReplyTo: 'id', recipients: ['GB-NCA-UKLB'] });
    expect(draftFromForm({ recipients: 'RO-ENU', type: 'request' }, reply)).toMatchObject({
      type: 'reply',
      recipients: ['GB-NCA-UKLB'],
    });
  });

  it('makes the API request: names split, the date in ISO 8601, countries upper-cased, empty fields left out', () => {
    const draft: DraftContent = {
      ...emptyDraft({ recipients: ['RO-ENU'], subject: 's', body: 'b', handlingCode: 'H3', restriction: 'r' }),
      entities: [
        {
          type: 'person' as const,
          values: {
            givenNames: 'Ana Maria',
            familyName: 'POPESCU',
            'dateOfBirth-day': '2',
            'dateOfBirth-month': '4',
            'dateOfBirth-year': '1988',
            nationality: 'ro',
          },
        },
        { type: 'vehicle' as const, values: { plate: 'B 123 ABC', country: 'ro', vin: '' } },
      ],
    };
    expect(submissionOf(draft)).toEqual({
      type: 'request',
      recipients: ['RO-ENU'],
      priority: 'normal',
      handling: { code: 'H3', restriction: 'r' },
      subject: 's',
      body: 'b',
      entities: [
        { ref: 'e1', type: 'person', names: ['Ana', 'Maria', 'POPESCU'], dateOfBirth: '1988-04-02', nationality: 'RO' },
        { ref: 'e2', type: 'vehicle', plate: 'B 123 ABC', country: 'RO' },
      ],
    });
  });

  it('adds and removes entities', () => {
    const two = withEntity(withEntity(emptyDraft(), 'phone'), 'vehicle');
    expect(withEntity(two, 'spaceship').entities).toHaveLength(2);
    expect(withoutEntity(two, 0).entities.map((e) => e.type)).toEqual(['vehicle']);
  });

  it('links each problem of the API to the field that fixes it, in words', () => {
    const draft = withEntity(withEntity(emptyDraft(), 'person'), 'phone');
    expect(formFieldOf('entities[0].names', draft)).toBe('entity-0-givenNames');
    expect(formFieldOf('entities[0].dateOfBirth', draft)).toBe('entity-0-dateOfBirth-day');
    expect(formFieldOf('entities[1].number', draft)).toBe('entity-1-number');
    expect(formFieldOf('handling', draft)).toBe('handlingCode');
    expect(formFieldOf('handling.restriction', draft)).toBe('restriction');
    expect(problemWords('body', 'body should not be empty')).toBe('Enter the message');
    expect(problemWords('entities[1].number', 'is not a phone number')).toBe('Entity 2 number is not a phone number');
  });
});
