import { Type } from 'class-transformer';
import { AuditSealConfig } from '@liaison/config';
import { AGENCY_CODE_PATTERN } from '@liaison/domain';
import { IsInt, IsOptional, IsString, Matches, Max, MinLength, Min } from 'class-validator';

/** Gateway configuration: read from the environment once at boot (see README, "Configuration"). */
export class GatewayConfig extends AuditSealConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Address the HTTP server binds to. */
  @IsString()
  HOST = '127.0.0.1';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** When set, this key is registered (hashed) as an admin key at boot, so a new deployment can be managed. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters' })
  LIAISON_ADMIN_KEY?: string;

  /** Agency the bootstrapped admin key belongs to. */
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code such as GB-NCA' })
  LIAISON_ADMIN_AGENCY = 'GB-NCA';

  /** Largest accepted JSON request body, in bytes; larger requests get 413. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 1024 * 1024;

  /** Directory of the attachment store (content-addressed files); shared by every gateway replica. */
  @IsString()
  ATTACHMENT_DIR = '.liaison/attachments';

  /** Largest attachment, in bytes; larger uploads get 413. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024;

  /** Most recipient agencies one message may name. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_RECIPIENTS = 50;

  /**
   * Counts below this are shown as `<N` in reports broken down finer than country by year (by month, agency,
   * crime area...), so that a figure cannot single out one investigation.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  REPORT_SMALL_COUNT_THRESHOLD = 5;

  /** Most days a report by day may cover. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36600)
  REPORT_MAX_DAYS = 3700;

  /** The window rate limits are counted in, in seconds; each limit below is requests per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS = 10;

  /** Reads (GET) one API key may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_KEY_READS = 300;

  /** Writes (POST, PUT, DELETE) one API key may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_KEY_WRITES = 100;

  /** Reads all the keys of one agency may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AGENCY_READS = 1000;

  /** Writes all the keys of one agency may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AGENCY_WRITES = 300;

  /** Requests without a valid API key one address may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_FAILED_AUTH = 30;
}
