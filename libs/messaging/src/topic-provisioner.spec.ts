import { KafkaJSProtocolError, type Kafka } from 'kafkajs';
import { provisionTopics } from './topic-provisioner';

/** An admin client of a broker with no topics whose topic creation fails as `failures` says, then succeeds. */
function fakeKafka(failures: Error[]) {
  const createTopics = jest.fn(() => {
    const failure = failures.shift();
    return failure ? Promise.reject(failure) : Promise.resolve(true);
  });
  const admin = {
    connect: jest.fn(),
    disconnect: jest.fn(),
    listTopics: jest.fn(() => Promise.resolve([])),
    describeCluster: jest.fn(() => Promise.resolve({ brokers: [{ nodeId: 1 }] })),
    createTopics,
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, createTopics };
}

/** The error kafkajs raises for the broker's UNKNOWN_TOPIC_OR_PARTITION (code 3), as its protocol layer builds it. */
const notHosted = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This server does not host this topic-partition'), {
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      code: 3,
      retriable: true,
    }),
  );

describe('provisionTopics', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('provisions again while the broker does not yet host a topic it has just created', async () => {
    const { kafka, createTopics } = fakeKafka([notHosted(), notHosted()]);
    const provisioned = provisionTopics(kafka, 'test.');
    await jest.runAllTimersAsync();
    expect((await provisioned).length).toBeGreaterThan(0);
    expect(createTopics).toHaveBeenCalledTimes(3);
  });

  it('gives up after five attempts, and at once on any other error', async () => {
    const always = fakeKafka(Array.from({ length: 5 }, notHosted));
    const givenUp = expect(provisionTopics(always.kafka, 'test.')).rejects.toThrow('does not host');
    await jest.runAllTimersAsync();
    await givenUp;
    expect(always.createTopics).toHaveBeenCalledTimes(5);

    const denied = fakeKafka([new Error('Topic authorization failed')]);
    await expect(provisionTopics(denied.kafka, 'test.')).rejects.toThrow('authorization');
    expect(denied.createTopics).toHaveBeenCalledTimes(1);
  });
});
