import {
  CaseKeys,
  MasterKeys,
  MatchKeyBlinder,
  openMessageRows,
  rowsOf,
  SystemKeys,
  type MessageText,
  type Queryable,
} from '@liaison/protection';

/** Case keys under the run's master keys (MASTER_KEYS, set for every test and benchmark process). */
export function caseKeysFromEnvironment(): CaseKeys {
  return CaseKeys.fromSetting(masterKeysSetting());
}

function masterKeysSetting(): string {
  const setting = process.env.MASTER_KEYS;
  if (!setting) throw new Error('MASTER_KEYS must be set (the test environment and the benchmarks set it)');
  return setting;
}

/** The blind match index's blinder under the run's master keys, as the matcher uses it. */
export function blinderFromEnvironment(db: Queryable): Promise<MatchKeyBlinder> {
  return MatchKeyBlinder.load(db, new SystemKeys(MasterKeys.parse(masterKeysSetting())));
}

export interface OpenedMessage {
  id: string;
  case_reference: string;
  sender_agency: string;
  routed_at: Date;
  text: MessageText;
}

/** Stored messages that meet `where` (SQL over `messages m`), with what each says opened under the run's keys. */
export async function openedMessages(
  db: Queryable,
  where: string,
  parameters: unknown[] = [],
): Promise<OpenedMessage[]> {
  const rows = await rowsOf<Omit<OpenedMessage, 'text'> & { content: Buffer }>(
    db,
    `SELECT m.id, m.case_reference, m.sender_agency, m.routed_at, m.content FROM messages m WHERE ${where}`,
    parameters,
  );
  return openMessageRows(caseKeysFromEnvironment(), db, rows);
}
