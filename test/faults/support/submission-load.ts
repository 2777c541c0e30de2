/** One logical submission: what was asked, and what became of it. */
export interface Submission {
  index: number;
  key: string;
  sender: 'wmp' | 'romania';
  /**
   * The k-th case opened by each agency names phone k (follow-ups name none): each k both agencies reached is
   * one match between their two cases.
   */
  pair?: number;
  phone?: string;
  /** Submissions after the first of a thread go into its case, in order. */
  thread: number;
  acceptedId?: string;
  caseReference?: string;
  /** When it was accepted (the client's clock), for the order within a thread. */
  acceptedAt?: number;
  attempts: number;
}

export interface LoadReport {
  submissions: Submission[];
  accepted: Submission[];
  /** Answers by status (0: no answer, the connection refused or cut). */
  statuses: Record<string, number>;
  /** The longest any one HTTP request was held before it was answered (ms). */
  longestRequestMs: number;
  /** The longest a request answered 503 was held (ms). */
  longest503Ms: number;
  /** Whether every 503 said when to come back. */
  every503HadRetryAfter: boolean;
  /** Submissions that could not be accepted within the give-up time. */
  abandoned: number;
}

const GIVE_UP_MS = 240_000;

/**
 * Steady submissions through the API from `loops` clients, two agencies writing to each other, each submission
 * a request with a deadline, each new case naming a phone that one case of the other agency names too. Each is
 * sent with an Idempotency-Key and retried with the same key, after Retry-After (at most a second here), until
 * it is accepted: what a well-behaved client does. Threads of `threadLength` submissions share a case, sent in
 * order, for the per-case order check.
 */
export class SubmissionLoad {
  private running = false;
  private loops: Promise<void>[] = [];
  private next = 0;
  private readonly opened = { wmp: 0, romania: 0 };
  private readonly submissions: Submission[] = [];
  private readonly statuses: Record<string, number> = {};
  private longestRequestMs = 0;
  private longest503Ms = 0;
  private every503HadRetryAfter = true;
  private abandoned = 0;

  constructor(
    private readonly url: () => string,
    private readonly keys: { wmp: string; romania: string },
    private readonly tag: string,
    private readonly options: { loops?: number; threadLength?: number; pauseMs?: number } = {},
    /** Where this load's phone numbers start, so that no two loads of a run share one. */
    private readonly phoneBase = Math.floor(Math.random() * 9_000_000),
  ) {}

  start(): void {
    this.running = true;
    const loops = this.options.loops ?? 4;
    this.loops = Array.from({ length: loops }, (_, loop) => this.loop(loop));
  }

  /** Stops starting submissions, lets the ones begun finish, and reports. */
  async stop(): Promise<LoadReport> {
    this.running = false;
    await Promise.all(this.loops);
    return this.report();
  }

  report(): LoadReport {
    return {
      submissions: this.submissions,
      accepted: this.submissions.filter((s) => s.acceptedId),
      statuses: { ...this.statuses },
      longestRequestMs: this.longestRequestMs,
      longest503Ms: this.longest503Ms,
      every503HadRetryAfter: this.every503HadRetryAfter,
      abandoned: this.abandoned,
    };
  }

  /** Waits until at least `count` more submissions have been accepted. */
  async accepted(count: number, timeoutMs = 120_000): Promise<void> {
    const target = this.submissions.filter((s) => s.acceptedId).length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.submissions.filter((s) => s.acceptedId).length < target) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} submissions accepted in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async loop(loop: number): Promise<void> {
    const threadLength = this.options.threadLength ?? 3;
    let thread: { caseReference?: string; number: number; left: number } = { number: 0, left: 0 };
    while (this.running) {
      const index = this.next++;
      const sender = loop % 2 === 0 ? 'wmp' : 'romania';
      const opens = thread.left === 0;
      if (opens) thread = { number: index, left: threadLength };
      const pair = opens ? this.opened[sender]++ : undefined;
      const submission: Submission = {
        index,
        key: `${this.tag}-${index}`,
        sender,
        pair,
        phone: pair === undefined ? undefined : `+4072${String((this.phoneBase + pair) % 10_000_000).padStart(7, '0')}`,
        thread: thread.number,
        attempts: 0,
      };
      this.submissions.push(submission);
      const body = {
        recipients: [sender === 'wmp' ? 'RO-ENU' : 'GB-WMP'],
        type: 'request',
        deadline: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        subject: `${this.tag}-${index}`,
        body: `Fault drill submission ${index}`,
        ...(submission.phone ? { entities: [{ ref: 'ph', type: 'phone', number: submission.phone }] } : {}),
        ...(thread.caseReference ? { caseReference: thread.caseReference } : {}),
      };
      await this.submit(submission, body);
      if (submission.caseReference) thread.caseReference ??= submission.caseReference;
      thread.left -= 1;
      if (thread.left === 0) thread.caseReference = undefined;
      if (this.options.pauseMs) await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }

  private async submit(submission: Submission, body: unknown): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < GIVE_UP_MS) {
      submission.attempts += 1;
      const sent = Date.now();
      let status = 0;
      let retryAfter: string | null = null;
      let answer: { id?: string; caseReference?: string } = {};
      try {
        const response = await fetch(`${this.url()}/v1/messages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.keys[submission.sender]}`,
            'content-type': 'application/json',
            'idempotency-key': submission.key,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        answer = (await response.json().catch(() => ({}))) as typeof answer;
      } catch {
        status = 0;
      }
      const held = Date.now() - sent;
      this.longestRequestMs = Math.max(this.longestRequestMs, held);
      this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      if (status === 503) {
        this.longest503Ms = Math.max(this.longest503Ms, held);
        if (retryAfter === null) this.every503HadRetryAfter = false;
      }
      if (status === 202 || status === 201) {
        submission.acceptedId = answer.id;
        submission.caseReference = answer.caseReference;
        submission.acceptedAt = Date.now();
        return;
      }
      if (status >= 400 && status < 500 && status !== 409 && status !== 429)
        throw new Error(`submission ${submission.index} refused with ${status}: ${JSON.stringify(answer)}`);
      // 503 (Retry-After), 409 (the same key still being processed by a gateway that died), or no answer.
      const wait = Math.min(1_000, retryAfter ? Number(retryAfter) * 1000 : 250);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.abandoned += 1;
  }
}
