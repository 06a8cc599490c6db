/**
 * The `--faults` syntax: rules separated by `;`, each `KIND[:MS][@PATH][#N,N…][~PROB]`.
 *   `503@/api/leads#2,5`      the 2nd and 5th requests to /api/leads… answer 503
 *   `reset@/api/lists/*\/leads~0.1`  10% of list-lead pages reset mid-body (seeded)
 *   `stall:5000@/api/signals#1`      the first signals page waits 5 s before answering
 *   `truncated-chunked@/api/leads#3` chunked body cut short (`truncated` = short Content-Length body)
 *   `echo:403@/api/campaigns`  an HTML error page echoing the key without its `pk_live_` prefix
 *   `poison-surrogate@/api/threads#1`  the first thread of the first page ends in half an emoji
 */
import { FaultSpecError } from './errors/fault-spec-error.ts';
import { POISON_KINDS } from './http/poison.ts';
import type { FaultKind, FaultRule } from './types.ts';

export const FAULT_KINDS: readonly FaultKind[] = [
  '500',
  '502',
  '503',
  'reset',
  'stall',
  'malformed',
  'truncated',
  '429',
  'echo',
  ...POISON_KINDS,
];

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRule);
}

function parseRule(text: string): FaultRule {
  const m = /^([\w-]+)(?::(\d+))?(?:@([^#~]+))?(?:#([\d,]+))?(?:~([\d.]+))?$/.exec(text);
  if (!m) throw new FaultSpecError(`fault rule "${text}" does not match KIND[:MS][@PATH][#N,N…][~PROB]`);
  const [, rawKind, ms, path, nth, prob] = m as unknown as [
    string,
    string,
    string?,
    string?,
    string?,
    string?,
  ];
  const chunked = rawKind === 'truncated-chunked';
  const kind = (chunked ? 'truncated' : rawKind) as FaultKind;
  if (!FAULT_KINDS.includes(kind))
    throw new FaultSpecError(
      `unknown fault kind "${rawKind}"; known: ${FAULT_KINDS.join(', ')}, truncated-chunked`,
    );
  const rule: FaultRule = { kind };
  if (path) rule.path = path;
  if (nth) rule.nth = nth.split(',').filter(Boolean).map(Number);
  if (prob !== undefined) {
    const p = Number(prob);
    if (!(p >= 0 && p <= 1)) throw new FaultSpecError(`fault probability must be within 0..1, got "${prob}"`);
    rule.probability = p;
  }
  if (ms && kind === 'echo') {
    const status = Number(ms);
    if (!(status >= 400 && status <= 599))
      throw new FaultSpecError(`echo status must be 400..599, got ${ms}`);
    rule.status = status;
  } else if (ms) rule.stallMs = Number(ms);
  if (chunked) rule.truncate = 'chunked';
  return rule;
}
