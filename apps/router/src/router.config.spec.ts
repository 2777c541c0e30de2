import { ConfigurationError, loadConfig } from '@liaison/config';
import type { CaseKeys } from '@liaison/protection';
import type { DataSource } from 'typeorm';
import { RouterConfig } from './router.config';
import { SubmittedContent } from './submitted-content';

const KEYS = { MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };

describe('router configuration of sealing', () => {
  it('seals by default and knows one other value, for measurement', () => {
    expect(loadConfig(RouterConfig, KEYS).CONTENT_SEALING).toBe('on');
    expect(loadConfig(RouterConfig, { ...KEYS, CONTENT_SEALING: 'off-for-measurement' }).CONTENT_SEALING).toBe(
      'off-for-measurement',
    );
    let problems: string[] = [];
    try {
      loadConfig(RouterConfig, { ...KEYS, CONTENT_SEALING: 'off' });
    } catch (error) {
      if (error instanceof ConfigurationError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^CONTENT_SEALING: must be on/)]);
  });

  it('refuses to run unsealed outside a benchmark run', () => {
    const config = loadConfig(RouterConfig, { ...KEYS, CONTENT_SEALING: 'off-for-measurement' });
    const previous = process.env.BENCHMARK_RUN;
    try {
      delete process.env.BENCHMARK_RUN;
      expect(() => new SubmittedContent({} as CaseKeys, {} as DataSource, config)).toThrow(
        'CONTENT_SEALING=off-for-measurement is for bench:pipeline only',
      );
      process.env.BENCHMARK_RUN = '1';
      expect(() => new SubmittedContent({} as CaseKeys, {} as DataSource, config)).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env.BENCHMARK_RUN;
      else process.env.BENCHMARK_RUN = previous;
    }
  });
});
