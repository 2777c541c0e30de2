import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { CommonConfig } from './common.config';

/**
 * What the services that seal and verify the audit log read: the tracker (which appends and checkpoints it)
 * and the gateway (which verifies it). The key is never stored in PostgreSQL, so that database rights are
 * not enough to rewrite the log unnoticed; both services must be given the same one.
 */
export class AuditSealConfig extends CommonConfig {
  /** The HMAC key every audit entry and checkpoint is sealed with (at least 32 characters). */
  @IsString()
  @MinLength(32, {
    message: 'must be at least 32 characters (the key that seals the audit log; the database never holds it)',
  })
  AUDIT_SEAL_KEY = '';

  /** File the chain's checkpoints are appended to, outside PostgreSQL (every replica must see the same one). */
  @IsString()
  AUDIT_CHECKPOINT_FILE = '.liaison/audit-checkpoints.jsonl';

  /** A checkpoint is taken after at most this many new entries (and at least every AUDIT_CHECKPOINT_INTERVAL_MS). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUDIT_CHECKPOINT_EVERY = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AUDIT_CHECKPOINT_INTERVAL_MS = 60_000;
}
