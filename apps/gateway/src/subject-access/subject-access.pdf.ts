import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import type { SubjectAccessReport } from './subject-access.usecase';

/** DejaVu Sans: one font for every script forces write names in (Latin, Cyrillic, Greek). */
const FONTS = (() => {
  const require = createRequire(__filename);
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  };
})();

const ACTIONS: Record<string, string> = {
  'message.opened': 'opened',
  'message.forwarded': 'forwarded',
  'attachment.downloaded': 'downloaded an attachment of',
  'entity.rectified': 'rectified an entity of',
  'entity.removed': 'removed an entity of',
};

/** An entity's fields as one line: "phone: +40 721 234 567", "person: Ion Popescu, born 1988-04-02". */
function entityLine(entity: Record<string, unknown>): string {
  const { ref: _ref, type, ...fields } = entity;
  const parts = Object.entries(fields).map(([name, value]) =>
    Array.isArray(value) ? `${name} ${value.join(' ')}` : `${name} ${String(value)}`,
  );
  return `${String(type)}: ${parts.join(', ')}`;
}

/**
 * The subject-access report as a PDF summary for the data-protection officer to give or keep: what was searched
 * for, the totals, then each case and message with what it holds and who consulted it. A tagged PDF with its
 * language and title set, so a screen reader reads it in order.
 */
export function subjectAccessPdf(report: SubjectAccessReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: `Subject access: ${report.agency}, ${report.searchedAt.slice(0, 10)}`, Author: 'Liaison' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const heading = (text: string, size: number) => doc.font('bold').fontSize(size).text(text).moveDown(0.3);
  const line = (text: string, size = 10) => doc.font('regular').fontSize(size).text(text);

  heading(`Subject access: what ${report.agency} holds`, 18);
  line(`Search ${report.searchId}, ${report.searchedAt}`);
  line(`Searched for: ${entityLine({ ...report.query, type: report.query.type ?? 'person' })}`);
  line(
    `Found: ${report.totals.messages} message(s) in ${report.totals.cases} case(s); ` +
      `${report.totals.consultations} consultation(s) recorded.`,
  );
  doc.moveDown();
  if (report.cases.length === 0) line('The agency holds nothing on this search.', 12);
  for (const held of report.cases) {
    heading(`Case ${held.reference}${held.title ? `: ${held.title}` : ''}`, 13);
    line(`Owner ${held.ownerAgency}; ${held.status}${held.restricted ? '; processing restricted' : ''}.`);
    doc.moveDown(0.3);
    for (const message of held.messages) {
      heading(
        `${message.submittedAt.slice(0, 10)}: message ${message.direction} (${message.senderAgency}): ${message.subject}`,
        11,
      );
      for (const match of message.matched)
        line(
          `  ${match.certainty === 'exact' ? 'Holds' : 'May hold (a name that sounds alike)'}: ${entityLine(match.entity)}`,
        );
      if (message.inText) line('  Named in its text.');
      if (message.consultations.length === 0) line('  Consulted by no one since it was received.');
      for (const c of message.consultations)
        line(`  ${c.at}: ${c.principalType} ${c.principalId} of ${c.agency} ${ACTIONS[c.action] ?? c.action} it.`, 9);
      doc.moveDown(0.5);
    }
  }
  doc.end();
  return done;
}
