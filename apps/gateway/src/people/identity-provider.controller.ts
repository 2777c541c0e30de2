import type { IdentityProviderEntity } from '@liaison/persistence';
import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { AGENCY_CODE_PATTERN } from '@liaison/domain';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { IdentityProviderUseCase } from './identity-provider.usecase';

export class IdentityProviderDto {
  @ApiProperty({ example: 'https://login.wmp.police.uk/realms/liaison', description: 'The issuer URL' })
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['https', 'http'] },
    { message: 'issuer must be a URL' },
  )
  @MaxLength(500)
  issuer!: string;

  @ApiProperty({ example: 'liaison-gateway' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId!: string;

  @ApiProperty({ description: 'The client secret; encrypted at rest and never shown again' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  clientSecret!: string;

  @ApiProperty({ example: ['wmp.police.uk'], description: 'Addresses at these domains sign in through this provider' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, {
    each: true,
    message: 'emailDomains must be domain names such as wmp.police.uk',
  })
  emailDomains!: string[];

  @ApiPropertyOptional({
    example: ['gold'],
    description: '`acr` values that mean a second factor was given, for providers that do not say it in `amr`',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  secondFactorAcr?: string[];

  @ApiPropertyOptional({
    example: 'GB-WMP',
    description:
      "The agency whose provider this is; by default the caller's. Only the operator's admin API key may name another",
  })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-WMP' })
  agency?: string;
}

export class IdentityProviderView {
  @ApiProperty() agency!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ type: [String] }) emailDomains!: string[];
  @ApiProperty({ type: [String] }) secondFactorAcr!: string[];
  @ApiProperty() updatedAt!: string;
}

function view(provider: IdentityProviderEntity): IdentityProviderView {
  return {
    agency: provider.agencyCode,
    issuer: provider.issuer,
    clientId: provider.clientId,
    emailDomains: provider.emailDomains,
    secondFactorAcr: provider.secondFactorAcr,
    updatedAt: provider.updatedAt.toISOString(),
  };
}

/** The OpenID provider the caller's agency signs its people in through; set by its admins. */
@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/identity-provider')
@Roles('admin')
export class IdentityProviderController {
  constructor(private readonly providers: IdentityProviderUseCase) {}

  @Get()
  @ApiOkResponse({ type: IdentityProviderView })
  async get(@CurrentCaller() caller: Caller): Promise<IdentityProviderView> {
    const provider = await this.providers.find(caller);
    if (!provider) throw new ApplicationError(ErrorCode.NotFound, `agency ${caller.agency} has no identity provider`);
    return view(provider);
  }

  @Put()
  @ApiOkResponse({ type: IdentityProviderView })
  async set(
    @Body() body: IdentityProviderDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<IdentityProviderView> {
    const { agency, ...setting } = body;
    return view(await this.providers.set(setting, caller, correlationId, agency));
  }

  @Delete()
  @HttpCode(204)
  async remove(@CurrentCaller() caller: Caller, @CorrelationId() correlationId: string): Promise<void> {
    await this.providers.remove(caller, correlationId);
  }
}
