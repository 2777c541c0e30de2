import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MessageSubmittedSchema, type MessageSubmitted } from '@liaison/contracts';
import { issueCaseReference } from '@liaison/domain';
import { randomUUID } from 'node:crypto';

/** A valid MessageSubmitted payload opening a new case, with any field overridden. */
export function submittedMessage(overrides: Partial<Omit<MessageSubmitted, '$typeName'>> = {}): MessageSubmitted {
  return create(MessageSubmittedSchema, {
    messageId: randomUUID(),
    caseReference: issueCaseReference(new Date()),
    opensCase: true,
    senderAgency: 'GB-WMP',
    recipientAgencies: ['GB-NCA-UKLB'],
    subject: 'Request: subscriber check on a Romanian mobile number',
    body: 'Operation test: please establish the subscriber of the number seen in the victim’s phone.',
    submittedAt: timestampFromDate(new Date()),
    submittedByKeyId: randomUUID(),
    ...overrides,
  });
}
