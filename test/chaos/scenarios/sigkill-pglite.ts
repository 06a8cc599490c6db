/**
 * SIGKILL of `puffle-sync sync` loading into the embedded PGlite database (no DATABASE_URL): a
 * kill can land mid-write in the single-process database and leave its directory lock behind.
 * Every next process must take the stale lock over, open the database, resume, and end exact;
 * the data directory's files never contain the key.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needles } from '../../security/secret-scan.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export const sigkillPglite: Scenario = {
  name: 'sigkill-pglite',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const dataDir = mkdtempSync(join(tmpdir(), 'puffle-chaos-pglite-'));
    ctx.track(async () => rmSync(dataDir, { recursive: true, force: true }));
    const w = await ChaosWorld.open(ctx, { label: 'pglite', seed: ctx.seed, scale: size.scale, dataDir });
    w.sim.setLatency(size.latencyMs);
    const kills = ctx.size === 'small' ? 1 : Math.round(size.kills / 2);
    let landed = 0;
    for (let attempt = 0; landed < kills && attempt < kills * 3; attempt += 1) {
      const { child, done } = w.start(['sync', '--json']);
      let exited = false;
      void done.then(() => (exited = true));
      await waitForRequests(w.sim, ctx.rng.int(0, 40), () => exited);
      await sleep(ctx.rng.int(0, 40));
      if (!exited && w.kill(child)) landed += 1;
      const res = await done;
      w.check(
        res.code === 0 || res.signal === 'SIGKILL',
        `a process after a kill exited ${res.code}: ${res.stderr
          .split('\n')
          .filter((l) => !l.startsWith('{'))
          .join(' ')
          .slice(0, 300)}`,
      );
    }
    w.check(landed === kills, `only ${landed} of ${kills} kills landed`);
    w.sim.setLatency(0);
    const final = await w.cli(['sync', '--json']);
    w.check(final.code === 0, `final run exited ${final.code}: ${final.stderr.slice(-300)}`);
    w.problems.push(...(await w.diff()));
    const secrets = needles(w.keys);
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      for (const n of secrets) if (bytes.includes(n)) w.problems.push(`secret found in PGlite file ${file}`);
    }
    return w.outcome(this.name, ['kill']);
  },
};
