import { ROLES } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditController, AuditQueryDto } from '../audit/audit.controller';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { validatedAs } from '../http/validation.pipe';
import { InviteToAgencyDto } from '../people/people.dto';
import { PeopleController } from '../people/people.controller';
import { idOrNotFound } from './console-messages.controller';
import { confirmedFirst } from './console-step-up';
import { ConsolePages } from './console-pages';
import { dateTimeWords, ROLE_NAMES } from './console-words';

const STATUS_WORDS: Record<string, string> = { invited: 'Invited', active: 'Active', disabled: 'Disabled' };

/**
 * The admin's console: the agency's people (invite, change role, disable, reset the second factor, end
 * sessions, a new enrolment link), and the audit trail by person with the chain's verification (read-only for a
 * data-protection officer). Each action goes through the same controller method as `/v1/people` and `/v1/audit`.
 */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
export class ConsoleAdminController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly people: PeopleController,
    private readonly audit: AuditController,
  ) {}

  @Get('people')
  @Roles('admin')
  async list(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const page = await this.people.list({ limit: 100 }, caller);
    await this.pages.render(reply, caller, 'people', 'people', {
      title: 'People',
      people: page.items.map((p) => ({
        ...p,
        roleWords: ROLE_NAMES[p.role],
        statusWords: STATUS_WORDS[p.status] ?? p.status,
        lastSignIn: p.lastSignInAt ? dateTimeWords(p.lastSignInAt) : 'Never',
      })),
    });
  }

  @Get('people/invite')
  @Roles('admin')
  async inviteForm(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.renderInvite(reply, caller, {}, []);
  }

  private async renderInvite(
    reply: FastifyReply,
    caller: PersonCaller,
    form: Record<string, string>,
    errors: { href: string; text: string }[],
    status = 200,
  ) {
    await this.pages.render(
      reply,
      caller,
      'people',
      'invite',
      {
        title: 'Invite a person',
        form,
        errors,
        roles: ROLES.map((value) => ({ value, text: ROLE_NAMES[value], checked: form.role === value })),
      },
      status,
    );
  }

  @Post('people/invite')
  @Roles('admin')
  async invite(
    @Body() body: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const text = (name: string) => (typeof body?.[name] === 'string' ? body[name].trim() : '');
    const form = { name: text('name'), email: text('email'), role: text('role'), signIn: text('signIn') };
    const { value, errors } = await validatedAs(InviteToAgencyDto, {
      name: form.name,
      email: form.email,
      role: form.role,
      ...(form.signIn ? { signIn: form.signIn } : {}),
    });
    const words: Record<string, string> = {
      name: 'Enter their name',
      email: 'Enter their work e-mail address, like name@agency.example',
      role: 'Choose their role',
    };
    if (errors.length > 0) {
      const list = [...new Set(errors.map((e) => e.field))].map((field) => ({
        href: `#${field}`,
        text: words[field] ?? field,
      }));
      return this.renderInvite(reply, caller, form, list, 400);
    }
    try {
      let invited: Awaited<ReturnType<PeopleController['invite']>> | undefined;
      if (
        await confirmedFirst(
          reply,
          '/console/people/invite',
          async () => (invited = await this.people.invite(value, caller, correlationId)),
        )
      )
        await this.pages.render(reply, caller, 'people', 'invited', { title: 'Person invited', invited });
    } catch (error) {
      if (error instanceof ApplicationError && error.code === ErrorCode.PersonExists)
        return this.renderInvite(
          reply,
          caller,
          form,
          [{ href: '#email', text: 'Someone already has this address' }],
          409,
        );
      throw error;
    }
  }

  @Get('people/:id')
  @Roles('admin')
  async person(@Param('id') id: string, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const person = await this.people.get(idOrNotFound(id), caller);
    await this.pages.render(reply, caller, 'people', 'person', {
      title: person.name,
      person: {
        ...person,
        roleWords: ROLE_NAMES[person.role],
        statusWords: STATUS_WORDS[person.status] ?? person.status,
        lastSignIn: person.lastSignInAt ? dateTimeWords(person.lastSignInAt) : 'Never',
      },
      roles: ROLES.map((value) => ({ value, text: ROLE_NAMES[value], selected: person.role === value })),
      done: typeof reply.request.query === 'object' ? (reply.request.query as { done?: string }).done : undefined,
    });
  }

  /** Every change to a person, by the button pressed; each needs a fresh second factor. */
  @Post('people/:id')
  @Roles('admin')
  async change(
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const personId = idOrNotFound(id);
    const back = `/console/people/${personId}`;
    const action = typeof body?.action === 'string' ? body.action : '';
    let reissued: Awaited<ReturnType<PeopleController['reissueLink']>> | null = null;
    const changed = await confirmedFirst(reply, back, async () => {
      reissued = await this.applyChange(action, personId, body, caller, correlationId);
    });
    if (!changed) return;
    if (reissued)
      return void (await this.pages.render(reply, caller, 'people', 'invited', {
        title: 'New enrolment link',
        invited: reissued,
      }));
    void reply.redirect(`${back}?done=${action}`, 303);
  }

  /** Does what the button pressed asks; a new enrolment link is returned, to be shown once. */
  private async applyChange(
    action: string,
    personId: string,
    body: Record<string, unknown>,
    caller: PersonCaller,
    correlationId: string,
  ) {
    switch (action) {
      case 'role': {
        const role = ROLES.find((r) => r === body.role);
        if (!role) throw new ApiProblem(ErrorCode.Validation, 'choose a role');
        await this.people.changeRole(personId, { role }, caller, correlationId);
        return null;
      }
      case 'disable':
        await this.people.disable(personId, caller, correlationId);
        return null;
      case 'enable':
        await this.people.enable(personId, caller, correlationId);
        return null;
      case 'reset-second-factor':
        await this.people.resetSecondFactor(personId, caller, correlationId);
        return null;
      case 'revoke-sessions':
        await this.people.revokeSessions(personId, caller, correlationId);
        return null;
      case 'enrolment-link':
        return this.people.reissueLink(personId, caller, correlationId);
      default:
        throw new ApiProblem(ErrorCode.NotFound, 'no such action');
    }
  }

  /** The audit trail, filtered by person, action or period; an admin may verify the chain. */
  @Get('audit')
  @Roles('admin', 'data-protection-officer')
  async trail(@Query() query: AuditQueryDto, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const [entries, people] = await Promise.all([
      this.audit.list({ ...query, limit: query.limit ?? 50 }, caller),
      caller.role === 'admin' ? this.people.list({ limit: 100 }, caller) : Promise.resolve({ items: [] }),
    ]);
    const names = new Map(people.items.map((p) => [p.id, p.name]));
    const params = (extra: Record<string, string>) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries({ ...query, ...extra }))
        if (typeof value === 'string' && value !== '' && (name !== 'cursor' || 'cursor' in extra))
          search.set(name, value);
      return search.toString();
    };
    await this.pages.render(reply, caller, 'audit', 'audit', {
      title: 'Audit trail',
      query,
      people: [
        { value: '', text: 'Anyone', selected: !query.principalId },
        ...people.items.map((p) => ({
          value: p.id,
          text: `${p.name} (${p.email})`,
          selected: p.id === query.principalId,
        })),
      ],
      entries: entries.items.map((e) => ({
        ...e,
        when: dateTimeWords(e.at),
        who:
          e.principalType === 'person'
            ? (names.get(e.principalId) ?? `Person ${e.principalId.slice(0, 8)}`)
            : e.principalType === 'api-key'
              ? `API key ${e.principalId.slice(0, 8)}`
              : e.principalType || 'System',
      })),
      next: entries.nextCursor ? `/console/audit?${params({ cursor: entries.nextCursor })}` : null,
      first: query.cursor ? `/console/audit?${params({})}` : null,
      canVerify: caller.role === 'admin',
    });
  }

  @Post('audit/verify')
  @Roles('admin')
  async verify(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const result = await this.audit.verify();
    await this.pages.render(reply, caller, 'audit', 'audit-verified', {
      title: result.valid ? 'The audit trail is intact' : 'The audit trail has been tampered with',
      result,
      checkpointAt: result.checkpoint ? dateTimeWords(result.checkpoint.at) : null,
    });
  }
}
