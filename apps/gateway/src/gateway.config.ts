import { AuditSealConfig, IsBooleanSetting } from '@liaison/config';
import { AGENCY_CODE_PATTERN } from '@liaison/domain';
import { Type } from 'class-transformer';
import proxyAddr from '@fastify/proxy-addr';
import { IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { IsMasterKeys } from '@liaison/protection';

/** A setting of addresses, CIDR ranges or the names loopback, linklocal and uniquelocal, comma-separated. */
function IsAddressList(): PropertyDecorator {
  return ValidateBy({
    name: 'addressList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && compiles(proxyAddresses(value)),
      defaultMessage: () =>
        'must be IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated',
    },
  });
}

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

  /**
   * PEM files of the certificate (with its chain) and of its private key. With both, the gateway speaks HTTPS
   * itself; without, it speaks HTTP and TLS ends at a proxy in front of it (see TRUST_PROXY).
   */
  @ValidateIf((config: GatewayConfig) => config.TLS_KEY_FILE !== undefined)
  @IsString({ message: 'must be set with TLS_KEY_FILE' })
  TLS_CERT_FILE?: string;

  @ValidateIf((config: GatewayConfig) => config.TLS_CERT_FILE !== undefined)
  @IsString({ message: 'must be set with TLS_CERT_FILE' })
  TLS_KEY_FILE?: string;

  /**
   * Addresses or CIDR ranges (or the names loopback, linklocal, uniquelocal), comma-separated, of the proxies in front of the gateway. Only a request from one of
   * them is believed about the client's address (X-Forwarded-For, which rate limits count by) and about having
   * come over TLS (X-Forwarded-Proto). Empty: no proxy is trusted.
   */
  @IsAddressList()
  TRUST_PROXY = '';

  /**
   * Strict-Transport-Security max-age, in seconds, on every response to a request that came over TLS (to the
   * gateway itself, or to a trusted proxy). 0 sends no HSTS.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2 * 365 * 24 * 3600)
  HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

  /** Requires a valid API key for the API description (/docs and /docs-json), as production should. */
  @IsBooleanSetting()
  DOCS_REQUIRE_KEY = false;

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

  /**
   * The key TOTP secrets and identity providers' client secrets are encrypted under (AES-256-GCM, at least 32
   * characters). Never stored in the database; every gateway replica is given the same one.
   */
  @IsString()
  @MinLength(32, {
    message: "must be at least 32 characters (the key people's second-factor secrets are encrypted with)",
  })
  IDENTITY_SECRET_KEY = '';

  /**
   * The master keys every case's data key is wrapped under: comma-separated `id:key` pairs, each key 32 random
   * bytes in base64 (`openssl rand -base64 32`); the first wraps new keys. Never stored in the database; every
   * service that reads or writes content is given the same list.
   */
  @IsMasterKeys()
  MASTER_KEYS = '';

  /**
   * The address people reach the gateway at (scheme, host and port, no path), e.g. https://liaison.example.police.uk:
   * state-changing console requests must come from it (Origin), and identity providers send people back to it.
   * Empty: http://HOST:PORT, for a local run.
   */
  @ValidateIf((config: GatewayConfig) => config.PUBLIC_ORIGIN !== '')
  @Matches(/^https?:\/\/[^/\s?#]+$/, { message: 'must be an origin such as https://liaison.example.org (no path)' })
  PUBLIC_ORIGIN = '';

  /** A session ends after this many minutes without a request from the person. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 15;

  /** A session ends this many hours after sign-in, however active. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24)
  SESSION_ABSOLUTE_HOURS = 12;

  /**
   * Milliseconds for which what the console polls in the background (the inbox's first page, the navigation's
   * counts) is read once per agency and view and shared by all its people; 0 reads it for every poll.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000)
  CONSOLE_SHARED_READS_MS = 250;

  /**
   * Milliseconds a request waits for the broker to acknowledge what it publishes; past that it is answered 503
   * with Retry-After (and, for a second after, so is every publish) instead of being held while the broker is away.
   */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(30_000)
  PUBLISH_ACK_TIMEOUT_MS = 4_000;

  /**
   * Who may read `/metrics`: addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated, as
   * the client's address is known (through TRUST_PROXY). By default this machine and private networks, where a
   * Prometheus server runs; anyone else gets 404.
   */
  @IsAddressList()
  METRICS_ALLOW = 'loopback,uniquelocal,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16';

  /**
   * Seconds after which a request holding an Idempotency-Key without an answer is taken to have died (its gateway
   * killed, say), and a retry with the key takes it over, with what it reserved.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(3_600)
  IDEMPOTENCY_TAKEOVER_SECONDS = 60;

  /** Sign-in attempts one address may make per window (RATE_LIMIT_WINDOW_SECONDS). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_ADDRESS = 20;

  /** Sign-in attempts for one account (e-mail address) per window, from anywhere. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_ACCOUNT = 10;

  /** Hours an enrolment link (an invitation to set a password) stays valid. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 24)
  ENROLMENT_LINK_HOURS = 72;

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

  /**
   * Reads (GET) one API key may make per window: ten a second, far above what a system polling its inbox or a
   * bureau's case-management system needs, far below what would let one key hold the gateway.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_KEY_READS = 100;

  /**
   * Writes (POST, PUT, DELETE) one API key may make per window. Three a second: the busiest agencies send a
   * few hundred thousand messages a year (SIENA carried 1.8 million in 2023 across about 3,000 authorities).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_KEY_WRITES = 30;

  /** Reads all the keys of one agency may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AGENCY_READS = 300;

  /** Writes all the keys of one agency may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AGENCY_WRITES = 100;

  /**
   * Requests a key (or an agency) may send at once before the rest are spread over the window at its rate
   * (each waits for its turn, up to RATE_LIMIT_MAX_WAIT_MS).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_BURST = 10;

  /** Longest a request waits for its turn at its key's or agency's rate; one that would wait longer gets 429. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  RATE_LIMIT_MAX_WAIT_MS = 2_000;

  /** Requests without a valid API key one address may make per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_FAILED_AUTH = 30;
}

/** The entries of a TRUST_PROXY setting. */
export function proxyAddresses(setting: string): string[] {
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function compiles(addresses: string[]): boolean {
  try {
    proxyAddr.compile(addresses);
    return true;
  } catch {
    return false;
  }
}
