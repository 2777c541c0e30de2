import { webhookAddressProblem, webhookUrlProblem, type WebhookTargetPolicy } from './webhook-target';

const production: WebhookTargetPolicy = { allowedPorts: [443, 80], allowLoopback: false };
const development: WebhookTargetPolicy = { ...production, allowLoopback: true };

describe('webhook receiver addresses', () => {
  it.each(['8.8.8.8', '81.2.69.160', '2001:4860:4860::8888', '2a00:1450:4009:81f::200e'])(
    'takes the public address %s',
    (address) => {
      expect(webhookAddressProblem(address, production)).toBeNull();
    },
  );

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.4.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
  ])('refuses %s (%s)', (address, range) => {
    expect(webhookAddressProblem(address, production)).toBe(`is a ${range} address, not a public one`);
  });

  it('takes loopback only where development allows it', () => {
    expect(webhookAddressProblem('127.0.0.1', development)).toBeNull();
    expect(webhookAddressProblem('::1', development)).toBeNull();
    expect(webhookAddressProblem('10.0.0.5', development)).not.toBeNull();
  });
});

describe('webhook URLs', () => {
  it('takes https to a named or public host on an allowed port', () => {
    expect(webhookUrlProblem('https://hooks.wmp.police.example/liaison', production)).toBeNull();
    expect(webhookUrlProblem('https://81.2.69.160/liaison', production)).toBeNull();
    expect(webhookUrlProblem('https://hooks.wmp.police.example:80/liaison', production)).toBeNull();
  });

  it.each([
    'http://127.0.0.1:6379/',
    'http://127.0.0.1:5432/',
    'http://127.0.0.1:9092/',
    'http://[::1]/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.1/',
    'https://localhost/',
    'https://10.0.0.5/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
  ])('refuses %s in production', (url) => {
    expect(webhookUrlProblem(url, production)).toMatch(/public receiver/);
  });

  it('refuses other ports and plain http to anything but this machine, and takes loopback in development', () => {
    expect(webhookUrlProblem('https://hooks.example:8443/x', production)).toBe('must use port 443 or 80');
    expect(webhookUrlProblem('http://hooks.example/x', production)).toBe('must use https');
    expect(webhookUrlProblem('ftp://hooks.example/x', production)).toBe('must use https');
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', development)).toBeNull();
    expect(webhookUrlProblem('http://localhost:8080/hook', development)).toBeNull();
    expect(webhookUrlProblem('https://hooks.example:8443/x', { ...production, allowedPorts: [8443] })).toBeNull();
  });

  it('refuses relative URLs, credentials and fragments', () => {
    expect(webhookUrlProblem('/hook', production)).toBe('must be an absolute URL');
    expect(webhookUrlProblem('https://user:pass@hooks.example/x', production)).toMatch(/credentials/);
    expect(webhookUrlProblem('https://hooks.example/x#frag', production)).toMatch(/fragment/);
  });
});
