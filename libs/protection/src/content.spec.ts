import { openCaseNames, openMessageText, sealCaseNames, sealMessageText, type MessageText } from './content';
import { newDataKey, SealBrokenError } from './sealing';

const text: MessageText = {
  subject: 'Request: subscriber of +40 721 234 567',
  body: 'Line one\nLine two with Ștefan Popescu',
  entities: [
    { ref: 'p1', type: 'person', names: ['Ștefan', 'Popescu'], dateOfBirth: '1988-04-02' },
    { ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' },
  ],
  links: [{ from: 'p1', to: 'ph1', relation: 'uses' }],
  handlingRestriction: 'Not to be disclosed to the employer',
  attachmentNames: ['ledger.pdf', 'photo 2.jpg'],
};

describe('sealed message text', () => {
  const key = newDataKey();

  it('comes back whole, and no part of it is readable sealed', () => {
    const sealed = sealMessageText(key, 'LIA-2026-AAAAAAAAA', 'm1', text);
    expect(openMessageText(key, 'LIA-2026-AAAAAAAAA', 'm1', sealed)).toEqual(text);
    for (const part of ['Popescu', '721 234', 'ledger', 'employer', 'Line one'])
      expect(sealed.includes(Buffer.from(part))).toBe(false);
  });

  it('does not open as another message or in another case', () => {
    const sealed = sealMessageText(key, 'LIA-2026-AAAAAAAAA', 'm1', text);
    expect(() => openMessageText(key, 'LIA-2026-AAAAAAAAA', 'm2', sealed)).toThrow(SealBrokenError);
    expect(() => openMessageText(key, 'LIA-2026-BBBBBBBBB', 'm1', sealed)).toThrow(
      'the content of message m1 does not open',
    );
  });

  it('seals a case title and operation name for that case alone', () => {
    const sealed = sealCaseNames(key, 'LIA-2026-AAAAAAAAA', { title: 'Nail bars, Leeds', operationName: 'KESTREL' });
    expect(openCaseNames(key, 'LIA-2026-AAAAAAAAA', sealed)).toEqual({
      title: 'Nail bars, Leeds',
      operationName: 'KESTREL',
    });
    expect(() => openCaseNames(key, 'LIA-2026-BBBBBBBBB', sealed)).toThrow(SealBrokenError);
  });
});
