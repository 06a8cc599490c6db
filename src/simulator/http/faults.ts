/** Decides which injected fault, if any, a request gets (scripted nth matches or seeded chance). */
import { Rng } from '../data/rng.ts';
import type { FaultRule } from '../types.ts';

interface Armed {
  rule: FaultRule;
  matcher: (path: string) => boolean;
  seen: number;
}

export function pathMatcher(pattern: string | undefined): (path: string) => boolean {
  if (!pattern) return () => true;
  if (!pattern.includes('*')) return (path) => path.startsWith(pattern);
  const re = new RegExp(
    `^${pattern
      .split(/(\*\*|\*)/)
      .map((part) =>
        part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );
  return (path) => re.test(path);
}

export class FaultBook {
  private armed: Armed[] = [];
  private rng: Rng;

  constructor(
    rules: FaultRule[],
    private readonly seed: number,
  ) {
    this.rng = new Rng(seed);
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.armed = rules.map((rule) => ({ rule, matcher: pathMatcher(rule.path), seen: 0 }));
    this.rng = new Rng(this.seed);
  }

  get rules(): FaultRule[] {
    return this.armed.map((a) => a.rule);
  }

  /** The first rule of this kind set for this path, without counting the request against it. */
  armedFor(path: string, kind: FaultRule['kind']): FaultRule | undefined {
    return this.armed.find((a) => a.rule.kind === kind && a.matcher(path))?.rule;
  }

  /**
   * Counts this request against every matching rule that `applies` to it; returns the first rule
   * that fires.
   */
  pick(path: string, applies: (rule: FaultRule) => boolean = () => true): FaultRule | undefined {
    let fired: FaultRule | undefined;
    for (const a of this.armed) {
      if (!a.matcher(path) || !applies(a.rule)) continue;
      a.seen++;
      const { nth, probability } = a.rule;
      const hit = nth
        ? nth.includes(a.seen)
        : probability !== undefined
          ? this.rng.float() < probability
          : true;
      if (hit && !fired) fired = a.rule;
    }
    return fired;
  }
}
