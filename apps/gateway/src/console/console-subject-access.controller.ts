import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { subjectAccessPdf } from '../subject-access/subject-access.pdf';
import {
  SubjectAccessUseCase,
  type SubjectAccessReport,
  type SubjectSearch,
} from '../subject-access/subject-access.usecase';
import { ConsolePages } from './console-pages';
import { dateTimeWords } from './console-words';

const IDENTIFIERS = [
  { type: 'phone', field: 'number', text: 'Phone number' },
  { type: 'email', field: 'address', text: 'E-mail address' },
  { type: 'identity-document', field: 'number', text: 'Passport or identity card number' },
  { type: 'bank-account', field: 'iban', text: 'IBAN' },
  { type: 'vehicle', field: 'registration', text: 'Vehicle registration' },
] as const;

type Form = Record<'kind' | 'names' | 'day' | 'month' | 'year' | 'identifierType' | 'value', string>;

/**
 * Subject access for the agency's data-protection officer: a search by name and date of birth or by one
 * identifier, its findings on the page, and the same as a PDF. The terms are posted, never put in a URL.
 */
@ApiExcludeController()
@Controller('console/subject-access')
@SessionOnly()
@Roles('data-protection-officer')
export class ConsoleSubjectAccessController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly subjectAccess: SubjectAccessUseCase,
  ) {}

  @Get()
  async form(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, caller, { kind: 'person' } as Form, [], null);
  }

  @Post()
  async search(
    @Body() body: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = this.formOf(body);
    const found = await this.searched(form, caller, correlationId);
    if ('errors' in found) return this.render(reply, caller, form, found.errors, null, 400);
    if (body?.format === 'pdf') {
      void reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="subject-access-${found.report.searchId}.pdf"`)
        .header('cache-control', 'no-store');
      return void reply.send(await subjectAccessPdf(found.report));
    }
    await this.render(reply, caller, form, [], found.report);
  }

  private formOf(body: Record<string, unknown>): Form {
    const text = (name: string) => (typeof body?.[name] === 'string' ? body[name].trim() : '');
    return {
      kind: text('kind'),
      names: text('names'),
      day: text('dob-day'),
      month: text('dob-month'),
      year: text('dob-year'),
      identifierType: text('identifierType'),
      value: text('value'),
    };
  }

  private async searched(
    form: Form,
    caller: PersonCaller,
    correlationId: string,
  ): Promise<{ report: SubjectAccessReport } | { errors: { href: string; text: string }[] }> {
    let request: SubjectSearch;
    if (form.kind === 'person') {
      const names = form.names.split(/\s+/).filter(Boolean);
      const dateOfBirth = `${form.year.padStart(4, '0')}-${form.month.padStart(2, '0')}-${form.day.padStart(2, '0')}`;
      const errors = [
        ...(names.length === 0 ? [{ href: '#names', text: 'Enter the names the person goes by' }] : []),
        ...(!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)
          ? [{ href: '#dob-day', text: 'Enter the date of birth, like 2 4 1988' }]
          : []),
      ];
      if (errors.length > 0) return { errors };
      request = { person: { names, dateOfBirth } };
    } else if (form.kind === 'identifier') {
      const kind = IDENTIFIERS.find((i) => i.type === form.identifierType);
      if (!kind) return { errors: [{ href: '#identifierType', text: 'Choose the kind of identifier' }] };
      if (!form.value) return { errors: [{ href: '#value', text: `Enter the ${kind.text.toLowerCase()}` }] };
      request = { identifier: { type: kind.type, [kind.field]: form.value } };
    } else return { errors: [{ href: '#kind', text: 'Choose what to search by' }] };
    try {
      return { report: await this.subjectAccess.search(request, caller, correlationId) };
    } catch (error) {
      if (!(error instanceof ApplicationError)) throw error;
      const href = form.kind === 'person' ? '#names' : '#value';
      return { errors: [{ href, text: error.errors[0]?.message ? `This ${error.errors[0].message}` : error.detail }] };
    }
  }

  private async render(
    reply: FastifyReply,
    caller: PersonCaller,
    form: Form,
    errors: { href: string; text: string }[],
    report: SubjectAccessReport | null,
    status = 200,
  ): Promise<void> {
    await this.pages.render(
      reply,
      caller,
      'subject-access',
      'subject-access',
      {
        title: 'Subject access',
        form,
        errors,
        identifiers: [
          { value: '', text: 'Choose' },
          ...IDENTIFIERS.map((i) => ({ value: i.type, text: i.text, selected: form.identifierType === i.type })),
        ],
        report: report && {
          ...report,
          cases: report.cases.map((c) => ({
            ...c,
            messages: c.messages.map((m) => ({
              ...m,
              when: dateTimeWords(m.submittedAt),
              consultations: m.consultations.map((x) => ({ ...x, when: dateTimeWords(x.at) })),
              matchedText: m.matched.map((x) =>
                Object.entries(x.entity)
                  .filter(([name]) => name !== 'ref')
                  .map(([, value]) => (Array.isArray(value) ? value.join(' ') : String(value)))
                  .join(', '),
              ),
            })),
          })),
        },
      },
      status,
    );
  }
}
