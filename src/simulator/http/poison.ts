/**
 * The poison faults: a 200 whose first record carries one value Postgres refuses for its column
 * type, the way real APIs glitch — half an emoji, a NUL byte, a UTC offset of +99:00, a MySQL zero
 * date, an integer beyond 32 bits. The stored data is untouched (the record is copied), so the
 * next clean request serves the record as it really is.
 */
import type { FaultKind } from '../types.ts';

export const POISON_KINDS = [
  'poison-surrogate',
  'poison-nul',
  'poison-offset',
  'poison-zero-date',
  'poison-overflow',
] as const satisfies readonly FaultKind[];
export type PoisonKind = (typeof POISON_KINDS)[number];

interface Poison {
  /** The first of these the record has is poisoned; none: `extra` is added instead. */
  fields: readonly string[];
  extra: string;
  value: (current: unknown) => unknown;
}

const text = (current: unknown) => (typeof current === 'string' ? current : 'poisoned');
const POISONS: Record<PoisonKind, Poison> = {
  'poison-surrogate': {
    fields: ['last_message_snippet', 'name', 'subject', 'title', 'display_name'],
    extra: 'poison_text',
    value: (current) => `${text(current)} \ud83d`, // a high surrogate whose low half was cut off
  },
  'poison-nul': {
    fields: ['name', 'subject', 'last_message_snippet', 'title', 'display_name'],
    extra: 'poison_text',
    value: (current) => `${text(current)}\u0000`,
  },
  'poison-offset': {
    fields: ['last_message_at', 'created_at', 'updated_at'],
    extra: 'poison_at',
    value: () => '2024-05-01T10:00:00+99:00',
  },
  'poison-zero-date': {
    fields: ['created_at', 'updated_at'],
    extra: 'poison_at',
    value: () => '0000-00-00 00:00:00',
  },
  'poison-overflow': {
    fields: ['daily_limit', 'unread_count', 'position', 'delay_days'],
    extra: 'poison_count',
    value: () => 99_999_999_999,
  },
};

export function isPoison(kind: FaultKind): kind is PoisonKind {
  return (POISON_KINDS as readonly string[]).includes(kind);
}

/** The payload with its first record (the first item of the first array of objects) poisoned. */
export function poisonPayload(payload: unknown, kind: PoisonKind): unknown {
  if (Array.isArray(payload)) {
    const index = payload.findIndex(isRecord);
    if (index < 0) return payload;
    return payload.map((item, i) =>
      i === index ? poisonRecord(item as Record<string, unknown>, kind) : item,
    );
  }
  if (!isRecord(payload)) return payload;
  const arrayKey = Object.keys(payload).find(
    (k) => Array.isArray(payload[k]) && (payload[k] as unknown[]).some(isRecord),
  );
  if (arrayKey) return { ...payload, [arrayKey]: poisonPayload(payload[arrayKey], kind) };
  return poisonRecord(payload, kind);
}

function poisonRecord(record: Record<string, unknown>, kind: PoisonKind): Record<string, unknown> {
  const poison = POISONS[kind];
  const field = poison.fields.find((f) => Object.hasOwn(record, f)) ?? poison.extra;
  return { ...record, [field]: poison.value(record[field]) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
