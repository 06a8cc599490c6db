/**
 * The `Retry-After` value of a 429 (RFC 9110: delay-seconds or an HTTP-date), never earlier than
 * the window really reopens: seconds round up (minimum 1), and an HTTP-date, which has whole
 * seconds, lands on the next whole second after that.
 */
export type RetryAfterValueForm = 'seconds' | 'http-date' | 'absent';

export function retryAfterValue(
  form: RetryAfterValueForm,
  waitMs: number,
  nowMs: number,
): string | undefined {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (form === 'seconds') return String(seconds);
  if (form === 'http-date') return new Date((Math.floor(nowMs / 1000) + seconds + 1) * 1000).toUTCString();
  return undefined;
}
