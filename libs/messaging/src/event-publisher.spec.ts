import { create } from '@bufbuild/protobuf';
import { MessageReadSchema, Topics } from '@liaison/contracts';
import type { Kafka } from 'kafkajs';
import { BrokerUnacknowledgedError, EventPublisher } from './event-publisher';

/** A producer whose sends do what `next` says: acknowledge, fail, or never answer. */
function fakeKafka() {
  const behaviour: { next: 'ack' | 'fail' | 'hang' } = { next: 'ack' };
  const sendBatch = jest.fn(() => {
    if (behaviour.next === 'ack') return Promise.resolve([]);
    if (behaviour.next === 'fail')
      return Promise.reject(Object.assign(new Error('connection refused'), { name: 'KafkaJSConnectionError' }));
    return new Promise(() => undefined);
  });
  const producer = { connect: jest.fn(() => Promise.resolve()), disconnect: jest.fn(), sendBatch };
  return { kafka: { producer: () => producer } as unknown as Kafka, sendBatch, behaviour };
}

const event = { key: 'LIA-2026-AAAAAAAA0', correlationId: 'c', payload: create(MessageReadSchema, { messageId: 'm' }) };

describe('EventPublisher', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a publish the broker does not acknowledge within the deadline, and refuses at once for a pause after', async () => {
    jest.useFakeTimers();
    const { kafka, sendBatch, behaviour } = fakeKafka();
    const publisher = new EventPublisher(kafka, 'ns.', { acknowledgeWithinMs: 4_000, pauseAfterFailureMs: 1_000 });
    behaviour.next = 'hang';
    const held = publisher.publish(Topics.messageRead, [event]).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(4_000);
    const failure = await held;
    expect(failure).toBeInstanceOf(BrokerUnacknowledgedError);
    expect((failure as Error).message).toBe('the broker did not acknowledge within 4000 ms');
    expect(publisher.state()).toMatchObject({
      available: false,
      detail: expect.stringMatching(/^the broker did not acknowledge within 4000 ms at /),
    });

    // During the pause: refused without another send.
    await expect(publisher.publish(Topics.messageRead, [event])).rejects.toBeInstanceOf(BrokerUnacknowledgedError);
    expect(sendBatch).toHaveBeenCalledTimes(1);

    // After it: tried again, and an acknowledgement makes the publisher available.
    await jest.advanceTimersByTimeAsync(1_000);
    behaviour.next = 'ack';
    const sent = publisher.publish(Topics.messageRead, [event]);
    await jest.advanceTimersByTimeAsync(0);
    await expect(sent).resolves.toBeUndefined();
    expect(sendBatch).toHaveBeenCalledTimes(2);
    expect(publisher.state()).toEqual({ available: true });
  });

  it('names a refusal as unacknowledged, with the broker error as its cause', async () => {
    const { kafka, behaviour } = fakeKafka();
    const publisher = new EventPublisher(kafka, 'ns.', { acknowledgeWithinMs: 4_000 });
    behaviour.next = 'fail';
    const failure = await publisher.publish(Topics.messageRead, [event]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerUnacknowledgedError);
    expect((failure as Error).message).toBe('the broker refused the publish (KafkaJSConnectionError)');
    expect(((failure as Error).cause as Error).name).toBe('KafkaJSConnectionError');
  });

  it('without a deadline, waits and fails as the broker failed (a worker classifies the error itself)', async () => {
    const { kafka, behaviour, sendBatch } = fakeKafka();
    const publisher = new EventPublisher(kafka, 'ns.');
    behaviour.next = 'fail';
    await expect(publisher.publish(Topics.messageRead, [event])).rejects.toMatchObject({
      name: 'KafkaJSConnectionError',
    });
    behaviour.next = 'ack';
    await expect(publisher.publish(Topics.messageRead, [event])).resolves.toBeUndefined();
    expect(sendBatch).toHaveBeenCalledTimes(2);
    expect(publisher.state()).toEqual({ available: true });
  });
});
