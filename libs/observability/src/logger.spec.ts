import pino from 'pino';
import { createLogger, logCompletedRequest, requestContext } from './logger';

function capturing(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe('logCompletedRequest', () => {
  const request = {
    correlationId: 'corr-0001',
    method: 'POST',
    url: '/v1/attachments?name=Ion%20Popescu%20passport.pdf',
    statusCode: 201,
    responseTimeMs: 12.4,
  };

  it('logs route, status and duration without the query string', () => {
    const { logger, lines } = capturing();
    logCompletedRequest(logger, request);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      correlationId: 'corr-0001',
      req: { method: 'POST', url: '/v1/attachments' },
      res: { statusCode: 201 },
      responseTime: 12,
    });
    expect(JSON.stringify(lines[0])).not.toContain('Popescu');
  });

  it.each([
    [404, 40],
    [503, 50],
  ])('logs a %i at level %i', (statusCode, level) => {
    const { logger, lines } = capturing();
    logCompletedRequest(logger, { ...request, statusCode });
    expect(lines[0]?.level).toBe(level);
  });

  it('leaves out health probes and levels the logger does not write', () => {
    const { logger, lines } = capturing();
    logCompletedRequest(logger, { ...request, url: '/health/ready' });
    logger.level = 'warn';
    logCompletedRequest(logger, request);
    expect(lines).toEqual([]);
  });
});

describe('requestContext', () => {
  it('puts the correlation id on every line written inside a request, across awaits', async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const logger = createLogger({ service: 'spec', level: 'info', format: 'pretty' });
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await requestContext.run({ correlationId: 'corr-inside' }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info({ messageId: 'm-1' }, 'inside');
      });
      logger.info('outside');
    } finally {
      process.stdout.write = original;
    }
    expect(written.find((line) => line.includes('inside'))).toContain('"correlationId":"corr-inside"');
    expect(written.find((line) => line.includes('outside'))).not.toContain('correlationId');
  });
});
