/**
 * One pino logger for the whole process, and the one redaction every outgoing text goes through.
 *
 * `redactSecrets` removes anything shaped like a Puffle key (`pk_live_…`) or a webhook signing
 * secret (`whsec_…`), and every secret this process was given (`registerSecret`: the configured key
 * and webhook secrets by their exact value and by the part after `pk_live_` / `whsec_`, which
 * servers, proxies and libraries echo on their own; the dashboard token; the hash key). Logs pass through
 * it as whole serialized lines (pino's `streamWrite` hook), so fields, messages and `err.stack`
 * are covered alike; the CLI, sync_runs, BullMQ failure reasons and error summaries call it too.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const KEY_PATTERN = /pk_live_[A-Za-z0-9_-]+/g;
const KEY_PREFIX = 'pk_live_';
const WEBHOOK_SECRET_PATTERN = /whsec_[A-Za-z0-9+/=]+/g;
/** Prefixes of secrets whose remainder is redacted on its own too. */
const SECRET_PREFIXES = [KEY_PREFIX, 'whsec_'];
/** Shorter values are not registered: redacting them would scramble ordinary words in logs. */
const MIN_SECRET_LENGTH = 8;

/** What a secret is replaced with. */
export const REDACTED = '<redacted>';

const secrets = new Set<string>();
let secretPattern: RegExp | undefined;

/**
 * From now on, `value` never leaves this process: it is redacted by exact value, as is the part
 * after `pk_live_` of a key (or `whsec_` of a webhook secret), and the JSON-escaped spelling of either (log lines are JSON).
 */
export function registerSecret(value: string | undefined): void {
  const trimmed = value?.trim();
  if (!trimmed) return;
  const forms = [trimmed];
  for (const prefix of SECRET_PREFIXES)
    if (trimmed.startsWith(prefix)) forms.push(trimmed.slice(prefix.length));
  let changed = false;
  for (const form of forms.flatMap((f) => [f, JSON.stringify(f).slice(1, -1)])) {
    if (form.length < MIN_SECRET_LENGTH || secrets.has(form)) continue;
    secrets.add(form);
    changed = true;
  }
  if (changed) {
    // Longest first, so a key is replaced whole before its suffix is looked for.
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    secretPattern = new RegExp(alternatives.join('|'), 'g');
  }
}

export function redactSecrets(text: string): string {
  const shaped = text
    .replace(KEY_PATTERN, `${KEY_PREFIX}${REDACTED}`)
    .replace(WEBHOOK_SECRET_PATTERN, `whsec_${REDACTED}`);
  return secretPattern ? shaped.replace(secretPattern, REDACTED) : shaped;
}

/** Redacts every string inside a JSON-like value (for objects printed with JSON.stringify). */
export function redactDeep<T>(value: T): T {
  return JSON.parse(redactSecrets(JSON.stringify(value))) as T;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * `interactive` (a terminal, no --json): human-readable lines through pino-pretty, and only
 * warnings unless LOG_LEVEL says otherwise, so logs do not fight the progress display.
 * Otherwise: pino JSON on stderr at LOG_LEVEL (default info). Errors logged as `err` keep their
 * type, message and stack (pino's standard serializer), redacted with the rest of the line.
 */
export function createLogger(
  opts: { level?: string; interactive?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const fromEnv = process.env.LOG_LEVEL?.trim().toLowerCase();
  const envLevel = LOG_LEVELS.includes(fromEnv as (typeof LOG_LEVELS)[number]) ? fromEnv : undefined;
  const level = opts.level ?? envLevel ?? (opts.interactive ? 'warn' : 'info');
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'puffle-sync' },
    redact: {
      paths: [
        'apiKey',
        '*.apiKey',
        'headers.authorization',
        '*.headers.authorization',
        'authorization',
        'key',
        'webhookSecrets',
        '*.webhookSecrets',
        'hashKey',
        '*.hashKey',
      ],
      censor: REDACTED,
    },
    hooks: { streamWrite: redactSecrets },
  };
  if (opts.interactive && !opts.destination) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { destination: 2 } }));
  }
  return pino(options, opts.destination ?? pino.destination(2));
}

/** A logger that drops everything (tests, and commands with their own display). */
export const silentLogger: Logger = pino({ level: 'silent' });

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
