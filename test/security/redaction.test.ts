/**
 * Redaction as units: the configured key is removed by its exact value and by the part after
 * `pk_live_`, in free text, in pino lines (fields, messages and `err.stack`, which is kept), in
 * error summaries, in commander's messages and in excerpts of non-JSON error bodies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commanderMessage } from '../../src/cli/main.ts';
import { loadConfig, registerSecretsFrom } from '../../src/config/config.ts';
import { errorSummary } from '../../src/error-summary.ts';
import { bodyExcerpt, parseErrorEnvelope } from '../../src/extract/classify.ts';
import { createLogger, redactDeep, redactSecrets, registerSecret } from '../../src/log.ts';

const KEY = 'pk_live_REDACTCANARY_9f8e7d6c5b4a';
const SUFFIX = KEY.slice('pk_live_'.length);
registerSecret(KEY);

function logLines(write: (logger: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (s: string) => lines.push(s) } });
  write(logger);
  return lines;
}

describe('redactSecrets', () => {
  it.each([
    ['the key', `token ${KEY} here`, 'token pk_live_<redacted> here'],
    ['the key without its prefix', `echo: ${SUFFIX}!`, 'echo: <redacted>!'],
    ['the suffix glued to other text', `x${SUFFIX}y`, 'x<redacted>y'],
    ['any pk_live_ shaped value', 'pk_live_somethingElse_123', 'pk_live_<redacted>'],
    ['the key twice, with and without prefix', `${KEY} ${SUFFIX}`, 'pk_live_<redacted> <redacted>'],
    ['a JSON-escaped context', JSON.stringify({ a: `"${SUFFIX}"` }), '{"a":"\\"<redacted>\\""}'],
    ['nothing secret', 'GET /api/leads?limit=200', 'GET /api/leads?limit=200'],
  ])('removes %s', (_what, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('registers a secret in every form: JSON escapes included, short values ignored', () => {
    const odd = 'tok"en\\with-quote';
    registerSecret(odd);
    expect(redactSecrets(`a ${odd} b`)).toBe('a <redacted> b');
    expect(redactSecrets(JSON.stringify({ t: odd }))).toBe('{"t":"<redacted>"}');
    registerSecret('short');
    expect(redactSecrets('a short word')).toBe('a short word');
  });

  it('redactDeep scrubs every string of an object', () => {
    expect(redactDeep({ error: { message: `401 for ${SUFFIX}` }, n: 1 })).toEqual({
      error: { message: '401 for <redacted>' },
      n: 1,
    });
  });
});

describe('registerSecretsFrom (before argv is parsed)', () => {
  it.each([
    ['PUFFLE_API_KEY', (k: string) => [{ PUFFLE_API_KEY: k }, []]],
    ['PUFFLE_DASHBOARD_TOKEN', (k: string) => [{ PUFFLE_DASHBOARD_TOKEN: k }, []]],
    ['--key v', (k: string) => [{}, ['node', 'bin', 'sync', '--key', k]]],
    ['--key=v', (k: string) => [{}, ['node', 'bin', 'sync', `--key=${k}`]]],
    ['PUFFLE_API_KEY_FILE', (k: string) => [{ PUFFLE_API_KEY_FILE: keyFile(k) }, []]],
    ['--key-file', (k: string) => [{}, ['node', 'bin', 'sync', '--key-file', keyFile(k)]]],
  ] as const)('%s', (_where, given) => {
    const key = `pk_live_FROM${Math.random().toString(36).slice(2, 12)}`;
    const [env, argv] = given(key);
    registerSecretsFrom(env as Record<string, string>, argv as string[]);
    expect(redactSecrets(`x ${key.slice('pk_live_'.length)} y`)).toBe('x <redacted> y');
  });
});

describe('webhook secrets and the hash key', () => {
  const random = () => Buffer.from(Math.random().toString(36)).toString('base64').replace(/=/g, '');
  const whsec = () => `whsec_${random()}${random()}`;

  it('are redacted whole, by the part after whsec_, and value by value when rotating', () => {
    const [a, b] = [whsec(), whsec()];
    const hashKey = `hash-key-${random()}-${random()}-${random()}`;
    loadConfig({ PUFFLE_WEBHOOK_SECRET: `${a}\n${b}`, PUFFLE_HASH_KEY: hashKey }, { command: 'webhooks' });
    expect(redactSecrets(`x ${a.slice(6)} ${b.slice(6)} ${hashKey} y`)).toBe(
      'x <redacted> <redacted> <redacted> y',
    );
  });

  it('are registered from PUFFLE_WEBHOOK_SECRET_FILE and PUFFLE_HASH_KEY_FILE before argv is parsed', () => {
    const [a, b] = [whsec(), whsec()];
    const hashKey = `hash-key-${random()}-${random()}-${random()}`;
    registerSecretsFrom(
      { PUFFLE_WEBHOOK_SECRET_FILE: keyFile(`${a}\n${b}`), PUFFLE_HASH_KEY_FILE: keyFile(hashKey) },
      [],
    );
    expect(redactSecrets(`${a.slice(6)}|${b.slice(6)}|${hashKey}`)).toBe('<redacted>|<redacted>|<redacted>');
  });

  it('removes any whsec_ shaped value', () => {
    expect(redactSecrets('secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=, ok')).toBe(
      'secret whsec_<redacted>, ok',
    );
  });
});

const keyDirs: string[] = [];
afterAll(() => {
  for (const dir of keyDirs) rmSync(dir, { recursive: true, force: true });
});

function keyFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'puffle-redact-'));
  keyDirs.push(dir);
  const path = join(dir, 'key');
  writeFileSync(path, `${content}\n`);
  return path;
}

describe('logs', () => {
  it('keep err.stack and the error type, redacted, and redact fields and messages', () => {
    const err = new Error(`upstream said ${SUFFIX}`);
    const lines = logLines((log) => {
      log.warn({ err, detail: { nested: [`x ${SUFFIX}`] } }, `failed with ${KEY}`);
      log.info({ headers: { authorization: `Bearer ${KEY}` } }, 'request');
      log.debug(`plain ${SUFFIX}`);
    });
    expect(lines).toHaveLength(3);
    const first = JSON.parse(lines[0]!) as {
      err: { type: string; message: string; stack: string };
      msg: string;
    };
    expect(first.err.type).toBe('Error');
    expect(first.err.message).toBe('upstream said <redacted>');
    expect(first.err.stack).toMatch(/^Error: upstream said <redacted>\n\s+at /);
    expect(first.err.stack).toContain('redaction.test.ts');
    expect(first.msg).toBe('failed with pk_live_<redacted>');
    for (const line of lines) {
      expect(line).not.toContain(SUFFIX);
      expect(line).not.toContain('REDACTCANARY');
    }
  });

  it('redact the stack of an error whose cause carries the key', () => {
    const err = new Error('outer', { cause: new Error(`inner ${SUFFIX}`) });
    const [line] = logLines((log) => log.error({ err }, 'boom'));
    expect(line).toContain('outer');
    expect(line).not.toContain(SUFFIX);
  });
});

describe('error summaries (sync_runs, BullMQ reasons, summaries, --json)', () => {
  it.each([
    [
      new Error(`GET /api/x: request rejected (403: ${SUFFIX})`),
      'GET /api/x: request rejected (403: <redacted>)',
    ],
    [new Error(`line one ${KEY}\nline two`), 'line one pk_live_<redacted>'],
    [`a string ${SUFFIX}`, 'a string <redacted>'],
  ])('%s', (err, message) => {
    expect(errorSummary(err).message).toBe(message);
  });

  it('redacts before cutting, so no fragment of a key survives the 500-character cut', () => {
    const text = `${'x'.repeat(490)}${SUFFIX}`;
    const { message } = errorSummary(new Error(text));
    expect(message).not.toContain(SUFFIX.slice(0, 10));
    expect(message.length).toBeLessThanOrEqual(500);
  });
});

describe('commander messages', () => {
  it.each([
    [`error: unknown option '--kye=${KEY}'`, "puffle-sync: unknown option '--kye=…' (see --help)"],
    [
      `error: unknown option '--kye=${SUFFIX}'\n(Did you mean --key?)`,
      "unknown option '--kye=…' (Did you mean --key?)",
    ],
    ["error: unknown option '--kye'", "unknown option '--kye' (see --help)"],
  ])('one line, option values dropped: %s', (input, expected) => {
    const line = `puffle-sync: ${commanderMessage(input)}`;
    expect(line).toContain(expected.replace(/^puffle-sync: /, ''));
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toContain(SUFFIX);
  });
});

describe('non-JSON error bodies', () => {
  const page = (inner: string) =>
    `<!DOCTYPE html><html><head><title>500</title><style>body{color:red}</style></head><body><h1>Internal error</h1><pre>${inner}</pre></body></html>`;

  it.each([
    [
      'an HTML page echoing the suffix',
      page(`authorization=${SUFFIX}`),
      '500 Internal error authorization=<redacted>',
    ],
    ['the whole key', page(`Bearer ${KEY}`), '500 Internal error Bearer pk_live_<redacted>'],
    ['plain text', `  upstream   timeout\n\n${SUFFIX} `, 'upstream timeout <redacted>'],
  ])('%s → a short redacted excerpt', (_what, body, expected) => {
    expect(bodyExcerpt(body)).toBe(expected);
    expect(parseErrorEnvelope(body).message).toBe(expected);
  });

  it('is cut to 200 characters, and a key at the cut or split by tags leaves nothing behind', () => {
    const atCut = `${'a'.repeat(195)}${SUFFIX}${'b'.repeat(5000)}`;
    const excerpt = bodyExcerpt(atCut);
    expect(excerpt.length).toBeLessThanOrEqual(201);
    expect(excerpt).not.toContain(SUFFIX.slice(0, 6));
    const split = `<p>${SUFFIX.slice(0, 9)}<b></b>${SUFFIX.slice(9)}</p>`;
    expect(bodyExcerpt(split)).not.toContain(SUFFIX.slice(9));
    expect(bodyExcerpt('x'.repeat(10_000))).toHaveLength(201);
  });

  it('keeps Puffle JSON envelopes as they are (message redacted)', () => {
    expect(
      parseErrorEnvelope(JSON.stringify({ error: { code: 'forbidden', message: `no ${SUFFIX}` } })),
    ).toEqual({
      code: 'forbidden',
      message: 'no <redacted>',
    });
  });
});
