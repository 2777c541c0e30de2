import { Type } from 'class-transformer';
import { IsInt, Max, Min, Matches } from 'class-validator';
import { CommonConfig } from './common.config';
import { ConfigurationError, loadConfig } from './load-config';

class SampleConfig extends CommonConfig {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @Matches(/^[a-z]+$/)
  NAME = 'default';
}

describe('loadConfig', () => {
  it('uses defaults when the environment is empty', () => {
    const config = loadConfig(SampleConfig, {});
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(config.KAFKA_NAMESPACE).toBe('');
  });

  it('converts numbers and reads only the variables the schema declares', () => {
    const config = loadConfig(SampleConfig, { PORT: '8080', HOME: '/root', NAME: 'gateway' });
    expect(config.PORT).toBe(8080);
    expect(config.NAME).toBe('gateway');
    expect(config).not.toHaveProperty('HOME');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(SampleConfig, { PORT: '' }).PORT).toBe(3000);
  });

  it('lists every invalid variable at once', () => {
    let caught: unknown;
    try {
      loadConfig(SampleConfig, { PORT: '99999', KAFKA_BROKERS: 'not a broker', LOG_LEVEL: 'loud', NAME: 'X1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const problems = (caught as ConfigurationError).problems.join('\n');
    expect(problems).toMatch(/^PORT:/m);
    expect(problems).toMatch(/^KAFKA_BROKERS:/m);
    expect(problems).toMatch(/^LOG_LEVEL:/m);
    expect(problems).toMatch(/^NAME:/m);
    expect((caught as ConfigurationError).problems).toHaveLength(4);
  });

  it('accepts a namespace that ends in a dot and refuses one that does not', () => {
    expect(loadConfig(SampleConfig, { KAFKA_NAMESPACE: 'test.run1.' }).KAFKA_NAMESPACE).toBe('test.run1.');
    expect(() => loadConfig(SampleConfig, { KAFKA_NAMESPACE: 'Test' })).toThrow(/KAFKA_NAMESPACE/);
  });
});
