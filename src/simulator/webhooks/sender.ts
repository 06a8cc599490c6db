/**
 * Webhook delivery the way Svix does it: a JSON envelope `{type, timestamp, data}` POSTed to the
 * endpoint with `svix-id`, `svix-timestamp` and `svix-signature` headers; anything but a 2xx
 * answer (or no answer within 15 s) is retried on Svix's schedule — immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h — each attempt signed afresh with the same message id. A resend
 * (Svix's "replay" button) delivers a message again under its id. The envelope `timestamp` is
 * wall-clock time (the headers must be, for the 5-minute tolerance); `data` carries data time.
 */
import { messageId, signPayload } from './sign.ts';

export interface WebhookTarget {
  url: string;
  /** `whsec_…` */
  secret: string;
}

export interface WebhookDelivery {
  /** Svix message id (`svix-id`), the same for every attempt and resend of one event. */
  id: string;
  type: string;
  attempt: number;
  /** Epoch ms when the attempt was sent. */
  at: number;
  /** HTTP status of the answer; 0 when none came (refused, timed out). */
  status: number;
  ms: number;
}

export const SVIX_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];
const ATTEMPT_TIMEOUT_MS = 15_000;

interface Message {
  id: string;
  type: string;
  body: string;
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private target: WebhookTarget | null;
  private readonly messages = new Map<string, Message>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    target: WebhookTarget | null,
    private readonly retryScheduleMs: readonly number[] = SVIX_RETRY_SCHEDULE_MS,
  ) {
    this.target = target;
  }

  setTarget(target: WebhookTarget | null): void {
    if (target) {
      new URL(target.url);
      if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(target.secret))
        throw new TypeError('the webhook secret must look like whsec_<base64>');
    }
    this.target = target;
  }

  get configured(): WebhookTarget | null {
    return this.target;
  }

  /** Queues an event for delivery (if an endpoint is set); returns its message id. */
  emit(type: string, data: Record<string, unknown>): string | undefined {
    if (!this.target) return undefined;
    const id = messageId();
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    const message = { id, type, body };
    this.messages.set(id, message);
    this.attempt(message, 1);
    return id;
  }

  /** Delivers a sent message again, same id and body, freshly signed (a replay). */
  resend(id: string): void {
    const message = this.messages.get(id);
    if (!message) throw new RangeError(`no webhook message ${id}`);
    this.attempt(message, 1);
  }

  async close(): Promise<void> {
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
  }

  /**
   * Retries belong to the endpoint the first attempt went to, as in Svix: once the target is moved to
   * another URL or removed, a pending retry is dropped rather than sent to whatever is set by then.
   */
  private attempt(message: Message, n: number, target = this.target): void {
    const run = this.send(message, n, target).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async send(message: Message, n: number, target: WebhookTarget | null): Promise<void> {
    if (!target || target.url !== this.target?.url || this.abort.signal.aborted) return;
    const at = Date.now();
    const timestamp = Math.floor(at / 1000);
    let status = 0;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Svix-Webhooks/1.0 (puffle-simulator)',
          'svix-id': message.id,
          'svix-timestamp': String(timestamp),
          'svix-signature': signPayload(target.secret, message.id, timestamp, message.body),
        },
        body: message.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      status = 0;
    }
    this.deliveries.push({ id: message.id, type: message.type, attempt: n, at, status, ms: Date.now() - at });
    const wait = this.retryScheduleMs[n - 1];
    if (status >= 200 && status < 300) return;
    if (wait === undefined || this.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(message, n + 1, target);
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }
}
