import { HEARTBEAT_INTERVAL_MS, whileBeating } from './heartbeats';

describe('whileBeating', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a heartbeat every interval while the work runs, and none after it ends', async () => {
    const heartbeat = jest.fn(() => Promise.resolve());
    let finish!: (value: string) => void;
    const running = whileBeating(heartbeat, () => new Promise<string>((resolve) => (finish = resolve)));
    await jest.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 10 + 1);
    expect(heartbeat).toHaveBeenCalledTimes(10);
    finish('applied');
    await expect(running).resolves.toBe('applied');
    await jest.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 5);
    expect(heartbeat).toHaveBeenCalledTimes(10);
  });

  it("keeps the work going when a heartbeat fails, and passes on the work's own failure", async () => {
    const heartbeat = jest.fn(() => Promise.reject(new Error('rebalancing')));
    let fail!: (error: Error) => void;
    const running = whileBeating(heartbeat, () => new Promise<never>((_, reject) => (fail = reject)));
    await jest.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 2 + 1);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    fail(new Error('deadlock detected'));
    await expect(running).rejects.toThrow('deadlock detected');
  });
});
