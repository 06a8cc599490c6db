/** One benchmark figure: a ratio measured side by side, its goal and verdict. */
export interface Goal {
  op: '<=' | '>=' | '==';
  target: number;
}

export interface Figure {
  id: string;
  name: string;
  value: number;
  goal: Goal | null;
  /** Repetition values and the absolute numbers behind the ratio, for the record. */
  detail: string;
}

export function verdict(f: Figure): 'PASS' | 'FAIL' | 'info' {
  if (!f.goal) return 'info';
  if (!Number.isFinite(f.value)) return 'FAIL';
  const { op, target } = f.goal;
  const ok = op === '<=' ? f.value <= target : op === '>=' ? f.value >= target : f.value === target;
  return ok ? 'PASS' : 'FAIL';
}

const goalText = (g: Goal | null) => (g ? `${g.op} ${g.target}` : '(no goal)');

export function formatLine(f: Figure): string {
  return `${verdict(f).padEnd(4)}  ${f.id.padEnd(4)} ${f.name.padEnd(58)} ${String(f.value).padStart(8)}  goal ${goalText(f.goal)}\n        ${f.detail}`;
}

export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map(
    (f) => `| ${f.id} | ${f.name} | ${f.value} | ${goalText(f.goal)} | ${verdict(f)} | ${f.detail} |`,
  );
  return ['| # | figure | value | goal | result | detail |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
