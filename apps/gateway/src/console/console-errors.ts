import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest, PersonCaller } from '../auth/caller';
import type { ProblemBody } from '../http/problem.filter';
import { CsrfProblem, SessionAuthenticator } from '../sessions/session-authenticator';
import { consolePathOrNull } from '../sessions/session-cookie';
import { ConsolePages } from './console-pages';

/** A request for a console page (not its assets, not a script's background request for JSON). */
export function isConsolePageRequest(request: FastifyRequest): boolean {
  const url = request.originalUrl ?? request.url;
  if (!/^\/console(?:[/?]|$)/.test(url) || url.startsWith('/console/assets/')) return false;
  return !(request.headers.accept ?? '').startsWith('application/json');
}

/**
 * Errors on console pages, as pages. No session: to the sign-in page, remembering where the person was going.
 * A form without its CSRF token: 403 with what to do. Anything the person may not see, including a section
 * their role does not have: the 404 page, which never says whether the thing exists.
 */
@Injectable()
export class ConsoleErrorPages {
  constructor(
    private readonly pages: ConsolePages,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async send(request: FastifyRequest, reply: FastifyReply, problem: ProblemBody, cause: unknown): Promise<void> {
    const caller = (request as AuthenticatedRequest).caller;
    const person = caller?.type === 'person' ? (caller as PersonCaller) : null;
    if (problem.status === 401 || !person) {
      if (problem.status === 401) {
        const cookies = this.sessions.cookies;
        const next = request.method === 'GET' ? consolePathOrNull(request.originalUrl ?? request.url) : null;
        if (next) cookies.write(reply, cookies.next, next, 15 * 60);
        return void reply.redirect('/auth/sign-in', 303);
      }
      return void (await reply
        .code(problem.status === 403 ? 403 : 404)
        .type('text/html; charset=utf-8')
        .view('not-found', { title: 'Page not found' }));
    }
    if (cause instanceof CsrfProblem)
      return void (await this.pages.render(
        reply,
        person,
        'home',
        'problem',
        {
          title: 'This form has expired',
          detail:
            'The form did not carry the code Liaison gave it, or came from elsewhere. Go back, reload the page and try again.',
        },
        403,
      ));
    if (problem.status === 404 || problem.status === 403)
      return void (await this.pages.render(reply, person, 'home', 'not-found', { title: 'Page not found' }, 404));
    if (problem.status === 500)
      return void (await this.pages.render(
        reply,
        person,
        'home',
        'problem',
        {
          title: 'Sorry, there is a problem with Liaison',
          detail: `Try again later. If it happens again, quote error id ${problem.errorId ?? ''} to your administrator.`,
        },
        500,
      ));
    return void (await this.pages.render(
      reply,
      person,
      'home',
      'problem',
      {
        title: problem.title,
        detail: problem.detail,
      },
      problem.status,
    ));
  }
}
