/**
 * docs/configuration.md agrees with the code: its variables table is the rendering of
 * src/config/variables.ts, every environment variable read under src/ is documented, and each
 * command takes exactly the config flags the table says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOCS_PATH, renderConfigDocs } from '../../scripts/gen-config-docs.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { VARIABLES, type Variable } from '../../src/config/variables.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const variables = Object.values(VARIABLES) as Variable<unknown>[];

describe('docs/configuration.md', () => {
  const doc = readFileSync(CONFIG_DOCS_PATH, 'utf8');

  it('holds the current rendering of src/config/variables.ts (run `npm run docs:config`)', () => {
    expect(doc === renderConfigDocs(doc), 'the variables table is stale: run `npm run docs:config`').toBe(
      true,
    );
  });

  it('documents every environment variable read under src/', () => {
    const names = new Set<string>(variables.flatMap((v) => (v.secret ? [v.env, `${v.env}_FILE`] : [v.env])));
    for (const file of sources(join(ROOT, 'src'))) {
      if (file.includes(`${join('src', 'simulator')}`)) continue; // the simulator is not configured by users
      for (const m of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]{2,})\b/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(15);
    const missing = [...names].filter((n) => !doc.includes(`\`${n}\``));
    expect(missing, 'add these to docs/configuration.md').toEqual([]);
  });

  it('each command has exactly the config flags the table gives it', () => {
    const program = buildProgram();
    for (const command of program.commands) {
      const flags = new Set(command.options.map((o) => o.long));
      for (const v of variables) {
        const declared = [v.flag, v.secret?.fileFlag].filter(Boolean).map((f) => f!.split(' ')[0]!);
        for (const flag of declared) {
          const owns = (v.commands as readonly string[]).includes(command.name());
          // demo and simulate declare their own --data-dir, --database-url, --key … with other meanings;
          // backfill its own --streams (what to reload, signals by default).
          if (!owns && ['demo', 'simulate'].includes(command.name())) continue;
          if (!owns && command.name() === 'backfill' && flag === '--streams') continue;
          expect(flags.has(flag), `${command.name()} ${owns ? 'lacks' : 'should not take'} ${flag}`).toBe(
            owns,
          );
        }
      }
    }
  });
});
