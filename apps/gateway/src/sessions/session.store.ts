import { generateSecretToken, hashSecretToken, isSecretTokenShaped, type Role, type SessionEnd } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { GatewayConfig } from '../gateway.config';

/** How a person signed in. */
export type SignInVia = 'local' | 'identity-provider';

/** What a session holds: who, since when, and what is needed to end it at the identity provider too. */
export interface Session {
  personId: string;
  /** The person's name as it was at sign-in, for the pages' identity bar. */
  name?: string;
  agency: string;
  role: Role;
  via: SignInVia;
  createdAt: number;
  lastSeenAt: number;
  /** When a second factor was last given in this session (sign-in or step-up). */
  secondFactorAt: number | null;
  /** The per-session token every state-changing form carries. */
  csrfToken: string;
  /** For a sign-in through an identity provider: its issuer and the ID token, for RP-initiated logout. */
  issuer?: string;
  idToken?: string;
}

/** A sign-in whose password was right, waiting for its second factor (or, at first sign-in, its enrolment). */
export interface PendingSignIn {
  kind: 'local';
  personId: string;
  stage: 'second-factor' | 'enrol';
  /** At enrolment: the new TOTP secret, sealed, until a code from it confirms it. */
  sealedSecret?: string;
}

/** A round trip to an identity provider under way: what its answer must match, and what it is for. */
export interface PendingOidc {
  kind: 'oidc';
  /** The agency whose provider was asked. */
  agency: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  purpose: 'sign-in' | 'step-up';
  /** For a step-up: the session it is for. */
  sessionHash?: string;
  /** The `max_age` asked for (a step-up asks for a fresh sign-in). */
  maxAge?: number;
  /** A sign-in asked again because the first answer showed no second factor. */
  retried?: boolean;
}

export type SessionLookup =
  | { state: 'live'; hash: string; session: Session }
  | { state: 'ended'; hash: string; session: Session; reason: SessionEnd }
  | { state: 'unknown' };

/** Key names, under the deployment's namespace (KAFKA_NAMESPACE), so deployments sharing a Redis never meet. */
const keyNames = (namespace: string) => ({
  session: `liaison:${namespace}session:`,
  pending: `liaison:${namespace}sign-in:`,
  person: `liaison:${namespace}person-sessions:`,
  /** Sessions by when they end if left alone: the sweeper audits the ends no request saw. */
  ends: `liaison:${namespace}session-ends`,
  /**
   * Where whoever ends or changes sessions in Redis names them (space-separated digests), so that every replica
   * forgets what it remembered of them.
   */
  changed: `liaison:${namespace}sessions-changed`,
});
const PENDING_MS = 10 * 60_000;
/**
 * Activity is written at most this often: a request within it of the last one written changes nothing in Redis,
 * so most requests only read. The idle limit is kept to within this much.
 */
const TOUCH_EVERY_MS = 10_000;
/**
 * A session read from Redis is answered from this replica's memory for at most this long, while the replica
 * listens for ends: a page and its background poll then cost no round trip. Judged by the same times as in Redis;
 * a session it thinks ended is asked of Redis again. If the replica stops hearing ends, it stops using memory.
 */
const REMEMBER_MS = 5_000;
/** At most this many sessions remembered; the oldest go first. */
const REMEMBER_AT_MOST = 10_000;
/** An ended session's record is kept this long, so the request that finds it ended (or the sweeper) can say why. */
const GRACE_MS = 60 * 60_000;

/**
 * Reads a session and, when asked, records the request as activity, in one round trip. Decides by the times
 * in the record (idle and absolute limits), so the answer is the same whichever gateway replica asks.
 * Returns {'live', json}, {'ended', reason, json} or nil.
 */
const READ_SESSION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local s = cjson.decode(raw)
local now = tonumber(ARGV[1])
local idle = tonumber(ARGV[2])
local absolute = tonumber(ARGV[3])
if now >= s.createdAt + absolute then return {'ended', 'absolute', raw} end
if now >= s.lastSeenAt + idle then return {'ended', 'idle', raw} end
if ARGV[4] == '1' and now - s.lastSeenAt >= tonumber(ARGV[7]) then
  s.lastSeenAt = now
  local ends = math.min(now + idle, s.createdAt + absolute)
  raw = cjson.encode(s)
  redis.call('SET', KEYS[1], raw, 'PX', ends - now + tonumber(ARGV[5]))
  redis.call('ZADD', KEYS[2], ends, ARGV[6])
end
return {'live', raw}
`;

/**
 * Sessions in Redis: an opaque 256-bit id goes to the browser; Redis holds the session under the id's SHA-256
 * only, so a copy of Redis gives no usable cookie. Every gateway replica reads the same sessions. Each person's
 * sessions are indexed, so an admin (or the person) can end all of them at once.
 */
@Injectable()
export class SessionStore implements OnApplicationShutdown {
  private readonly redis: Redis;
  /** Hears the digests of sessions ended or changed anywhere (a subscribed connection does nothing else). */
  private readonly listener: Redis;
  private listening = false;
  private readonly remembered = new Map<string, { session: Session; readAt: number }>();
  readonly limits: { idleMs: number; absoluteMs: number };
  private readonly keys: ReturnType<typeof keyNames>;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    // Commands wait for a (re)connection briefly, then fail: a request then gets an error, never a hang.
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 5_000 });
    this.redis.on('error', () => undefined); // reconnects on its own; a request meanwhile fails and says so
    this.redis.defineCommand('readSession', { numberOfKeys: 2, lua: READ_SESSION });
    this.keys = keyNames(config.KAFKA_NAMESPACE ?? '');
    this.listener = this.redis.duplicate({
      commandTimeout: undefined,
      autoResubscribe: false,
      connectionName: `liaison:${config.KAFKA_NAMESPACE ?? ''}sessions-listener`,
    });
    this.listener.on('error', () => undefined);
    // Whatever was said while not listening is unheard: forget everything, and use memory again only once
    // subscribed again (confirmed by Redis) after each (re)connection.
    this.listener.on('close', () => {
      this.listening = false;
      this.remembered.clear();
    });
    this.listener.on('ready', () => {
      this.listener.subscribe(this.keys.changed).then(
        () => void (this.listening = true),
        () => undefined,
      );
    });
    this.listener.on('message', (_channel: string, hashes: string) => {
      for (const hash of hashes.split(' ')) this.remembered.delete(hash);
    });
    this.limits = {
      idleMs: config.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
    };
  }

  /** Starts a session; returns the id for the cookie (never stored) and the session. */
  async create(
    person: { id: string; agency: string; role: Role; name?: string },
    via: SignInVia,
    secondFactorAt: number | null,
    extra: { issuer?: string; idToken?: string } = {},
    now = Date.now(),
  ): Promise<{ id: string; hash: string; session: Session }> {
    const id = generateSecretToken();
    const hash = hashSecretToken(id);
    const session: Session = {
      personId: person.id,
      ...(person.name === undefined ? {} : { name: person.name }),
      agency: person.agency,
      role: person.role,
      via,
      createdAt: now,
      lastSeenAt: now,
      secondFactorAt,
      csrfToken: generateSecretToken(),
      ...extra,
    };
    await this.write(hash, session, now);
    return { id, hash, session };
  }

  /** The session a cookie names, recording the request as activity unless `touch` is false (a background poll). */
  async find(id: string, { touch = true, now = Date.now() } = {}): Promise<SessionLookup> {
    if (!isSecretTokenShaped(id)) return { state: 'unknown' };
    const hash = hashSecretToken(id);
    const known = this.listening ? this.remembered.get(hash) : undefined;
    if (known && now - known.readAt < REMEMBER_MS) {
      const { session } = known;
      const live = now < session.createdAt + this.limits.absoluteMs && now < session.lastSeenAt + this.limits.idleMs;
      // A touching request needs Redis only when the activity written is old enough to write again.
      if (live && (!touch || now - session.lastSeenAt < TOUCH_EVERY_MS)) return { state: 'live', hash, session };
    }
    const result = await (
      this.redis as Redis & { readSession(...args: (string | number)[]): Promise<string[] | null> }
    ).readSession(
      this.keys.session + hash,
      this.keys.ends,
      now,
      this.limits.idleMs,
      this.limits.absoluteMs,
      touch ? '1' : '0',
      GRACE_MS,
      hash,
      TOUCH_EVERY_MS,
    );
    if (!result || result[0] !== 'live') this.remembered.delete(hash);
    if (!result) return { state: 'unknown' };
    if (result[0] === 'live') {
      const session = JSON.parse(result[1]) as Session;
      this.remember(hash, session, now);
      return { state: 'live', hash, session };
    }
    return { state: 'ended', hash, session: JSON.parse(result[2]) as Session, reason: result[1] as SessionEnd };
  }

  /** A session by its digest, as stored (for a request already authenticated with it). */
  async byHash(hash: string): Promise<Session | null> {
    const raw = await this.redis.get(this.keys.session + hash);
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  /**
   * A new id for the same person's session (after a step-up or any change of privilege): the old id stops
   * working at once, so an id seen before the change is worth nothing after it.
   */
  async rotate(
    hash: string,
    change: Partial<Session>,
    now = Date.now(),
  ): Promise<{ id: string; hash: string; session: Session } | null> {
    const raw = await this.redis.get(this.keys.session + hash);
    if (!raw) return null;
    const old = JSON.parse(raw) as Session;
    const id = generateSecretToken();
    const fresh = hashSecretToken(id);
    const session: Session = { ...old, ...change, lastSeenAt: now, csrfToken: generateSecretToken() };
    await this.write(fresh, session, now);
    await this.end(hash, old.personId);
    return { id, hash: fresh, session };
  }

  /** Ends one session. Returns whether it existed. */
  async end(hash: string, personId: string): Promise<boolean> {
    this.remembered.delete(hash);
    const [[, removed]] = (await this.redis
      .multi()
      .del(this.keys.session + hash)
      .srem(this.keys.person + personId, hash)
      .zrem(this.keys.ends, hash)
      .publish(this.keys.changed, hash)
      .exec()) as [[null, number], ...unknown[]];
    return removed > 0;
  }

  /** Ends every session of a person (sign out everywhere, disabled, role changed). Returns how many there were. */
  async endAll(personId: string): Promise<number> {
    const hashes = await this.redis.smembers(this.keys.person + personId);
    if (hashes.length === 0) return 0;
    for (const hash of hashes) this.remembered.delete(hash);
    const results = (await this.redis
      .multi()
      .del(...hashes.map((h) => this.keys.session + h))
      .zrem(this.keys.ends, ...hashes)
      .del(this.keys.person + personId)
      .publish(this.keys.changed, hashes.join(' '))
      .exec()) as [[null, number], ...unknown[]];
    return results[0][1];
  }

  /** Ends a session found ended; true for the one caller (request or sweeper) that should record its expiry. */
  async claimExpired(hash: string, personId: string): Promise<boolean> {
    const claimed = (await this.redis.zrem(this.keys.ends, hash)) === 1;
    await this.end(hash, personId);
    return claimed;
  }

  /**
   * Sessions whose end time has passed, each claimed by one replica only (ZREM decides), with why they ended;
   * their records are removed. For the expiry entries of the audit trail.
   */
  async claimEnded(now = Date.now(), limit = 200): Promise<{ hash: string; session: Session; reason: SessionEnd }[]> {
    const due = await this.redis.zrangebyscore(this.keys.ends, '-inf', now, 'LIMIT', 0, limit);
    const claimed: { hash: string; session: Session; reason: SessionEnd }[] = [];
    for (const hash of due) {
      if ((await this.redis.zrem(this.keys.ends, hash)) !== 1) continue;
      const raw = await this.redis.get(this.keys.session + hash);
      if (!raw) continue;
      const session = JSON.parse(raw) as Session;
      const reason: SessionEnd = now >= session.createdAt + this.limits.absoluteMs ? 'absolute' : 'idle';
      await this.end(hash, session.personId);
      claimed.push({ hash, session, reason });
    }
    return claimed;
  }

  /**
   * A sign-in between its steps (the password given, the second factor not yet): kept ten minutes under the
   * digest of its own token, never a session.
   */
  async startPending(pending: PendingSignIn | PendingOidc): Promise<string> {
    const token = generateSecretToken();
    await this.redis.set(this.keys.pending + hashSecretToken(token), JSON.stringify(pending), 'PX', PENDING_MS);
    return token;
  }

  async pending(token: string): Promise<PendingSignIn | PendingOidc | null> {
    if (!isSecretTokenShaped(token)) return null;
    const raw = await this.redis.get(this.keys.pending + hashSecretToken(token));
    return raw ? (JSON.parse(raw) as PendingSignIn | PendingOidc) : null;
  }

  async endPending(token: string): Promise<void> {
    if (isSecretTokenShaped(token)) await this.redis.del(this.keys.pending + hashSecretToken(token));
  }

  private remember(hash: string, session: Session, now: number): void {
    if (!this.listening) return;
    this.remembered.delete(hash);
    if (this.remembered.size >= REMEMBER_AT_MOST) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(hash, { session, readAt: now });
  }

  private async write(hash: string, session: Session, now: number): Promise<void> {
    const ends = Math.min(now + this.limits.idleMs, session.createdAt + this.limits.absoluteMs);
    await this.redis
      .multi()
      .set(this.keys.session + hash, JSON.stringify(session), 'PX', ends - now + GRACE_MS)
      .zadd(this.keys.ends, ends, hash)
      .sadd(this.keys.person + session.personId, hash)
      .pexpire(this.keys.person + session.personId, this.limits.absoluteMs + GRACE_MS)
      .exec();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}
