import { AgencyRepository, type IdentityProviderEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { discover, sealedFor } from '../sign-in/oidc-clients';
import { IdentityProviderRepository } from './identity-provider.repository';
import { SecretBox } from './secret-box';
import { administeredAgency } from './agency-scope';
import { requireFreshSecondFactor } from './step-up';

export interface IdentityProviderSetting {
  issuer: string;
  clientId: string;
  clientSecret: string;
  emailDomains: string[];
  secondFactorAcr?: string[];
}

/**
 * An agency's admin sets the OpenID provider its people sign in through. The issuer must answer with a
 * discovery document that names it exactly (so a typo or a look-alike is caught before anyone depends on it);
 * the client secret is encrypted and never shown again.
 */
@Injectable()
export class IdentityProviderUseCase {
  constructor(
    private readonly providers: IdentityProviderRepository,
    private readonly agencies: AgencyRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditTrail,
  ) {}

  find(admin: Caller): Promise<IdentityProviderEntity | null> {
    return this.providers.find(admin.agency);
  }

  /** Sets the admin's agency's provider; the operator's admin API key may name another agency. */
  async set(
    setting: IdentityProviderSetting,
    admin: Caller,
    correlationId: string,
    requestedAgency?: string,
  ): Promise<IdentityProviderEntity> {
    requireFreshSecondFactor(admin);
    const agency = await administeredAgency(admin, requestedAgency, this.agencies);
    const issuer = setting.issuer.replace(/\/+$/, '');
    let discovered: string;
    try {
      const config = await discover(issuer, setting.clientId, setting.clientSecret);
      discovered = config.serverMetadata().issuer;
    } catch (error) {
      throw ApplicationError.field(
        'issuer',
        `no OpenID provider answered at ${issuer}/.well-known/openid-configuration (${error instanceof Error ? error.message : 'no answer'})`,
      );
    }
    if (discovered !== issuer && discovered !== setting.issuer)
      throw ApplicationError.field('issuer', `the provider names itself ${discovered}; use exactly that`);
    const domains = [...new Set(setting.emailDomains.map((d) => d.trim().toLowerCase()))];
    const provider: IdentityProviderEntity = {
      agencyCode: agency,
      issuer: discovered,
      clientId: setting.clientId,
      clientSecret: this.box.seal(setting.clientSecret, sealedFor(agency)),
      emailDomains: domains,
      secondFactorAcr: setting.secondFactorAcr ?? [],
      updatedAt: new Date(),
    };
    await this.audit.record(
      admin,
      { action: 'identity-provider.set', objectType: 'identity-provider', objectId: agency, detail: discovered },
      correlationId,
    );
    await this.providers.save(provider);
    return provider;
  }

  async remove(admin: Caller, correlationId: string): Promise<void> {
    requireFreshSecondFactor(admin);
    if (!(await this.providers.find(admin.agency)))
      throw new ApplicationError(ErrorCode.NotFound, `agency ${admin.agency} has no identity provider`);
    await this.audit.record(
      admin,
      { action: 'identity-provider.removed', objectType: 'identity-provider', objectId: admin.agency },
      correlationId,
    );
    await this.providers.remove(admin.agency);
  }
}
