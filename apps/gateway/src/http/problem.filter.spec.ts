import { ForbiddenException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { ApiProblem } from './problem';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { ProblemFilter } from './problem.filter';

function harness() {
  const logged: unknown[] = [];
  const logger = {
    setContext: () => undefined,
    error: (...args: unknown[]) => logged.push(args),
  } as unknown as PinoLogger;
  const sent: { status?: number; type?: string; body?: string } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ originalUrl: '/v1/messages?x=1' }) }),
  } as unknown as ArgumentsHost;
  return {
    filter: new ProblemFilter(logger),
    host,
    sent,
    logged,
    body: () => JSON.parse(sent.body ?? '{}') as Record<string, unknown>,
  };
}

describe('ProblemFilter', () => {
  it('renders an ApiProblem with its code, status and field errors', () => {
    const { filter, host, sent, body } = harness();
    filter.catch(ApiProblem.field('subject', 'should not be empty'), host);
    expect(sent.status).toBe(400);
    expect(sent.type).toBe('application/problem+json');
    expect(body()).toEqual({
      type: 'urn:liaison:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'subject: should not be empty',
      errors: [{ field: 'subject', message: 'should not be empty' }],
      instance: '/v1/messages',
    });
  });

  it("answers a use case's ApplicationError as the problem its code stands for", () => {
    const { filter, host, sent, body } = harness();
    filter.catch(
      new ApplicationError(ErrorCode.CaseClosed, 'caseReference: case LIA-2026-AAAAAAAAA is closed', [
        { field: 'caseReference', message: 'is closed' },
      ]),
      host,
    );
    expect(sent.status).toBe(422);
    expect(body()).toMatchObject({
      type: 'urn:liaison:problem:case-closed',
      title: 'Case closed',
      status: 422,
      errors: [{ field: 'caseReference', message: 'is closed' }],
    });
  });

  it('maps Nest HTTP exceptions to their problem types', () => {
    const notFound = harness();
    notFound.filter.catch(new NotFoundException('Cannot GET /nowhere'), notFound.host);
    expect(notFound.body()).toMatchObject({ status: 404, type: 'urn:liaison:problem:not-found' });
    const forbidden = harness();
    forbidden.filter.catch(new ForbiddenException(), forbidden.host);
    expect(forbidden.body()).toMatchObject({ status: 403, type: 'urn:liaison:problem:forbidden' });
  });

  it('answers anything unexpected with a 500 and an error id, logging the error but never showing it', () => {
    const { filter, host, sent, body, logged } = harness();
    filter.catch(new Error('connection to 10.0.0.7 refused: password=hunter2'), host);
    expect(sent.status).toBe(500);
    const problem = body();
    expect(problem.type).toBe('urn:liaison:problem:internal');
    expect(problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(problem.detail)).toContain(String(problem.errorId));
    expect(sent.body).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
  });

  it('gives every problem code a title and a status', () => {
    for (const code of Object.values(ErrorCode)) {
      const problem = new ApiProblem(code, 'detail');
      expect(problem.title.length).toBeGreaterThan(0);
      expect(problem.getStatus()).toBeGreaterThanOrEqual(400);
    }
  });
});
