import { ConfigurationError } from '@liaison/config';
import { TOPIC_PARTITIONS, Topics } from '@liaison/contracts';
import { topicSettings } from './topic-settings';

const settings = (overrides: Partial<Parameters<typeof topicSettings>[0]> = {}) =>
  topicSettings({
    KAFKA_REPLICATION_FACTOR: 1,
    KAFKA_MIN_INSYNC_REPLICAS: 1,
    KAFKA_TOPIC_PARTITIONS: '',
    KAFKA_CONTENT_RETENTION_HOURS: 168,
    ...overrides,
  });

function problems(overrides: Partial<Parameters<typeof topicSettings>[0]>): string[] {
  try {
    settings(overrides);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('topicSettings', () => {
  it('keeps the declared partitions unless more are asked for', () => {
    expect(settings().partitions).toEqual(TOPIC_PARTITIONS);
    const grown = settings({
      KAFKA_REPLICATION_FACTOR: 3,
      KAFKA_MIN_INSYNC_REPLICAS: 2,
      KAFKA_TOPIC_PARTITIONS: 'liaison.messages.submitted.v1=12,liaison.matches.found.v1=24',
    });
    expect(grown).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(grown.partitions[Topics.messageSubmitted]).toBe(12);
    expect(grown.partitions[Topics.matchFound]).toBe(24);
    expect(grown.partitions[Topics.messageRouted]).toBe(TOPIC_PARTITIONS[Topics.messageRouted]);
  });

  it('names every problem at once', () => {
    expect(
      problems({
        KAFKA_REPLICATION_FACTOR: 2,
        KAFKA_MIN_INSYNC_REPLICAS: 3,
        KAFKA_TOPIC_PARTITIONS:
          'liaison.messages.sent.v1=4,liaison.audit.recorded.v1=3,liaison.messages.submitted.v1=2',
      }),
    ).toEqual([
      expect.stringMatching(/^KAFKA_MIN_INSYNC_REPLICAS: 3 is more than the 2 copies/),
      'KAFKA_TOPIC_PARTITIONS: liaison.messages.sent.v1 is not a Liaison topic',
      "KAFKA_TOPIC_PARTITIONS: liaison.audit.recorded.v1 keeps one partition, its records' order",
      'KAFKA_TOPIC_PARTITIONS: liaison.messages.submitted.v1 has at least 6 partitions, not 2',
    ]);
  });
});
