/**
 * `GET /api/v1/research/{id}`: `{person, status, report|null, change_summary}`. A person has a
 * report once enriched; the report follows the person's `updated_at` / `last_enriched_at`.
 */
import type { Rec } from './collection.ts';
import { hashString, Rng, uuid4 } from './rng.ts';

export function researchResponse(person: Rec): Rec {
  const report = researchReport(person);
  return { person, status: person.status, report, change_summary: report?.change_summary ?? null };
}

/** The record a sync keeps: the report with the response's other fields beside it (as `single` walks merge them). */
export function researchReportRecord(person: Rec): Rec | undefined {
  const report = researchReport(person);
  return report ? { ...report, person, status: person.status } : undefined;
}

function researchReport(person: Rec): Rec | null {
  if (typeof person.last_enriched_at !== 'string') return null;
  const r = new Rng(hashString(`${String(person.id)}|${String(person.updated_at)}`));
  return {
    id: uuid4(new Rng(hashString(String(person.id)))),
    person_id: person.id,
    version: 1 + (hashString(String(person.updated_at)) % 3),
    content: {
      summary: `${person.first_name} ${person.last_name} is ${person.role} at ${person.company}.`,
      talking_points: [`${person.company} is hiring`, 'Recent conference talk'].slice(0, r.int(1, 2)),
    },
    change_summary: r.bool(0.5) ? 'New role since the last report.' : null,
    generated_at: person.last_enriched_at,
  };
}
