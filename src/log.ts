/**
 * One pino logger for the whole process. Anything that could carry the API key or a webhook
 * signing secret is redacted by path, and `redactSecrets` scrubs free text (error messages from
 * third parties) as a last line.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const KEY_PATTERN = /pk_live_[A-Za-z0-9_-]+/g;
const WEBHOOK_SECRET_PATTERN = /whsec_[A-Za-z0-9+/=]+/g;

export function redactSecrets(text: string): string {
  return text.replace(KEY_PATTERN, 'pk_live_<redacted>').replace(WEBHOOK_SECRET_PATTERN, 'whsec_<redacted>');
}

/**
 * `interactive` (a terminal, no --json): human-readable lines through pino-pretty, and only
 * warnings unless LOG_LEVEL says otherwise, so logs do not fight the progress display.
 * Otherwise: pino JSON on stderr at LOG_LEVEL (default info).
 */
export function createLogger(
  opts: { level?: string; interactive?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? (opts.interactive ? 'warn' : 'info');
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
      censor: '<redacted>',
    },
    formatters: {
      log(obj) {
        if (obj.err instanceof Error)
          obj.err = { name: obj.err.name, message: redactSecrets(obj.err.message) };
        if (typeof obj.msg === 'string') obj.msg = redactSecrets(obj.msg);
        return obj;
      },
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as typeof args;
        return method.apply(this, scrubbed);
      },
    },
  };
  if (opts.interactive && !opts.destination) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { destination: 2 } }));
  }
  return pino(options, opts.destination ?? pino.destination(2));
}

/** A logger that drops everything (tests, and commands with their own display). */
export const silentLogger: Logger = pino({ level: 'silent' });
