import { forwardNeedsPermission, forwardProblem, permissionDecisionProblem } from './forwarding';

describe('forwarding', () => {
  it('needs the provider permission for H2 only', () => {
    expect(forwardNeedsPermission('H2')).toBe(true);
    for (const code of ['H0', 'H1', 'H3'] as const) expect(forwardNeedsPermission(code)).toBe(false);
  });

  it('passes a message only to an agency that does not have it', () => {
    const message = { senderAgency: 'GB-NCA', recipients: ['RO-ENU', 'FR-OCRTEH'] };
    expect(forwardProblem(message, 'NL-NP')).toBeNull();
    expect(forwardProblem(message, 'GB-NCA')).toBe('GB-NCA sent this message');
    expect(forwardProblem(message, 'FR-OCRTEH')).toBe('FR-OCRTEH already received this message');
  });

  it('lets only the provider decide, once', () => {
    expect(permissionDecisionProblem({ providerAgency: 'GB-NCA', state: 'pending' }, 'GB-NCA')).toBeNull();
    expect(permissionDecisionProblem({ providerAgency: 'GB-NCA', state: 'pending' }, 'RO-ENU')).toContain(
      'only the providing agency GB-NCA',
    );
    expect(permissionDecisionProblem({ providerAgency: 'GB-NCA', state: 'granted' }, 'GB-NCA')).toContain(
      'already decided: granted',
    );
  });
});
