import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';
import {
  API_CONTENT_SECURITY_POLICY,
  cameOverTls,
  DOCS_CONTENT_SECURITY_POLICY,
  isDocsPath,
  securityHeaders,
} from './security-headers';

function request(remoteAddress: string, headers: Record<string, string> = {}, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress, encrypted }, headers } as unknown as IncomingMessage;
}

describe('security headers', () => {
  const trusted = proxyAddr.compile(['10.0.0.0/8']);

  it('knows a TLS socket came over TLS, whatever the headers say', () => {
    expect(cameOverTls(request('192.0.2.1', {}, true), trusted)).toBe(true);
    expect(cameOverTls(request('192.0.2.1', { 'x-forwarded-proto': 'http' }, true), trusted)).toBe(true);
  });

  it('believes X-Forwarded-Proto only from a trusted proxy, and only its last entry', () => {
    expect(cameOverTls(request('10.1.2.3', { 'x-forwarded-proto': 'https' }), trusted)).toBe(true);
    expect(cameOverTls(request('10.1.2.3', { 'x-forwarded-proto': 'http, HTTPS' }), trusted)).toBe(true);
    expect(cameOverTls(request('10.1.2.3', { 'x-forwarded-proto': 'https, http' }), trusted)).toBe(false);
    expect(cameOverTls(request('192.0.2.1', { 'x-forwarded-proto': 'https' }), trusted)).toBe(false);
    expect(cameOverTls(request('10.1.2.3'), trusted)).toBe(false);
    // With no proxy trusted, nobody is believed.
    expect(cameOverTls(request('127.0.0.1', { 'x-forwarded-proto': 'https' }), proxyAddr.compile([]))).toBe(false);
  });

  it('sends HSTS over TLS only, and not at all when its max-age is 0', () => {
    expect(
      securityHeaders({ url: '/v1/inbox', overTls: true }, { hstsMaxAgeSeconds: 600 })['Strict-Transport-Security'],
    ).toBe('max-age=600');
    expect(securityHeaders({ url: '/v1/inbox', overTls: false }, { hstsMaxAgeSeconds: 600 })).not.toHaveProperty(
      'Strict-Transport-Security',
    );
    expect(securityHeaders({ url: '/v1/inbox', overTls: true }, { hstsMaxAgeSeconds: 0 })).not.toHaveProperty(
      'Strict-Transport-Security',
    );
  });

  it('gives the API description its page policy and everything else the policy of data', () => {
    for (const url of ['/docs', '/docs/', '/docs/swagger-ui-init.js', '/docs-json', '/docs?x=1'])
      expect({ url, docs: isDocsPath(url) }).toEqual({ url, docs: true });
    for (const url of ['/docsx', '/v1/docs', '/documents', '/'])
      expect({ url, docs: isDocsPath(url) }).toEqual({ url, docs: false });
    expect(
      securityHeaders({ url: '/docs/', overTls: false }, { hstsMaxAgeSeconds: 0 })['Content-Security-Policy'],
    ).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(
      securityHeaders({ url: '/v1/messages', overTls: false }, { hstsMaxAgeSeconds: 0 })['Content-Security-Policy'],
    ).toBe(API_CONTENT_SECURITY_POLICY);
  });

  it('never lets a page frame a response, nor a script run from an API response', () => {
    for (const policy of [API_CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY]) {
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/unsafe-eval|\*/);
    }
    expect(API_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(DOCS_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
  });
});
