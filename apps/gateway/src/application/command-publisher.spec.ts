import { create } from '@bufbuild/protobuf';
import { MessageReadSchema, Topics } from '@liaison/contracts';
import type { EventPublisher } from '@liaison/messaging';
import { Metrics } from '@liaison/observability';
import type { PinoLogger } from 'nestjs-pino';
import { CommandPublisher } from './command-publisher';
import { ApiProblem } from '../http/problem';
import { ApplicationError, ErrorCode } from './application-error';

function harness(publish: () => Promise<void>) {
  const errors: unknown[] = [];
  const logger = {
    setContext: () => undefined,
    error: (...args: unknown[]) => errors.push(args),
  } as unknown as PinoLogger;
  const metrics = new Metrics('test');
  return { commands: new CommandPublisher({ publish } as unknown as EventPublisher, logger, metrics), errors, metrics };
}

const event = { key: 'LIA-2026-AAAAAAAA0', correlationId: 'c', payload: create(MessageReadSchema, { messageId: 'm' }) };

describe('CommandPublisher', () => {
  it('resolves once the broker acknowledged, and counts it', async () => {
    const { commands, errors, metrics } = harness(async () => undefined);
    await expect(commands.publish(Topics.messageRead, [event])).resolves.toBeUndefined();
    expect(errors).toHaveLength(0);
    expect((await metrics.exposition()).body).toContain(
      `liaison_events_published_total{topic="${Topics.messageRead}",outcome="acknowledged",service="test"} 1`,
    );
  });

  it('refuses with broker-unavailable (a 503) when the broker does not acknowledge, and logs why', async () => {
    const { commands, errors } = harness(async () => {
      throw new Error('KafkaJSNumberOfRetriesExceeded');
    });
    const failure: unknown = await commands.publish(Topics.messageRead, [event]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationError);
    expect((failure as ApplicationError).code).toBe(ErrorCode.BrokerUnavailable);
    expect(ApiProblem.of(failure as ApplicationError).getStatus()).toBe(503);
    expect(ApiProblem.of(failure as ApplicationError).retryAfterSeconds).toBe(5);
    expect((failure as ApplicationError).detail).toMatch(/broker/);
    expect(errors).toHaveLength(1);
  });
});
