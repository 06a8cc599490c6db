/** Record generators: the enrichment catalog, enrichment runs and items, deep-research people. */
import type { Rec } from './collection.ts';
import { ENRICHMENTS, TITLES } from './pools.ts';
import { iso } from './rng.ts';
import type { World } from './world.ts';

export function enrichment(w: World, i: number): Rec {
  const [slugId, name, subject, creditAction] = ENRICHMENTS[i] as readonly [string, string, string, string];
  const key = slugId.replace(/-/g, '_');
  return {
    id: w.enrichments.id(i),
    slug: slugId,
    name,
    description: `${name} for each ${subject}`,
    subject,
    version: 1 + (i % 3),
    enabled: i !== 9,
    visibility: 'public',
    inputSchema: { type: 'object', properties: { leadId: { type: 'string' } } },
    outputSchema: { type: 'object', properties: { [key]: { type: 'string' } } },
    defaultOutput: { target: 'lead_attribute', attributeKey: key },
    defaultOutputAttributeKey: key,
    outputOverridePolicy: 'allow',
    costModel: { creditAction },
    toolBinding: {
      type: 'task',
      payloadMapper: { id: `${slugId}-mapper`, version: 1 },
      taskId: `task_${key}`,
    },
  };
}

export function enrichmentRun(w: World, r: number): Rec {
  const g = w.runs.rng(r, 1);
  const status = w.runStatus(r);
  const created = w.runs.createdMs(r);
  const e = g.int(0, 9);
  const n = w.runResolvedCount(r);
  const done = w.itemSeg.size(r);
  const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
  const listIdx = r % w.sizes.lists;
  const [slugId] = ENRICHMENTS[e] as readonly [string, string, string, string];
  return {
    id: w.runs.id(r),
    status,
    mode: 'persisted',
    enrichment: { id: w.enrichments.id(e), slug: slugId, version: 1 + (e % 3), snapshot: {} },
    scope: {
      type: 'list',
      listId: w.lists.id(listIdx),
      requested: n,
      resolvedCount: n,
      counts: {
        pending: n - done,
        running: status === 'running' ? 1 : 0,
        completed: Math.floor(done * 0.8),
        skipped: Math.floor(done * 0.1),
        failed: done - Math.floor(done * 0.8) - Math.floor(done * 0.1),
      },
    },
    output: {
      target: 'lead_attribute',
      attributeKey: slugId.replace(/-/g, '_'),
      writePolicy: 'overwrite',
      persistResults: true,
    },
    cost: { preview: n, actual: finished ? done : null },
    trigger: { correlationId: `corr_${g.hex(12)}`, triggerRunId: `run_${g.hex(16)}`, dispatchMetadata: {} },
    error: status === 'failed' ? { message: 'provider timeout', details: { provider: 'apollo' } } : null,
    timing: {
      startedAt: status === 'pending' ? null : iso(created + 60_000),
      completedAt: status === 'completed' || status === 'failed' ? iso(created + 3_600_000) : null,
      cancelledAt: status === 'cancelled' ? iso(created + 1_800_000) : null,
      createdAt: iso(created),
      updatedAt: iso(created + 3_600_000),
    },
  };
}

export function enrichmentItem(w: World, g: number): Rec {
  const run = w.itemSeg.parentOf(g);
  const k = g - w.itemSeg.start(run);
  const r = w.items.rng(g, 1);
  const listIdx = run % w.sizes.lists;
  const range = w.listRange(listIdx);
  const leadIdx = range.size > 0 ? range.start + (k % range.size) : k % w.sizes.leads;
  const status = r.pick([
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'skipped',
    'failed',
  ]);
  const created = w.items.createdMs(g);
  return {
    id: w.items.id(g),
    runId: w.runs.id(run),
    leadId: w.leads.id(leadIdx),
    listId: w.lists.id(listIdx),
    membershipId: `mem_${r.hex(12)}`,
    status,
    result:
      status === 'completed' ? { value: `${r.hex(6)}@example.org`, confidence: r.int(50, 99) / 100 } : null,
    skippedReason: status === 'skipped' ? 'already_enriched' : null,
    error: status === 'failed' ? { message: 'not found at provider', details: null } : null,
    attempts: status === 'failed' ? 3 : 1,
    metadata: {
      inputSnapshot: {},
      leadSnapshot: {},
      result: null,
      provider: 'apollo',
      providerSubmissionId: `sub_${r.hex(8)}`,
    },
    timing: {
      startedAt: iso(created),
      completedAt: iso(created + 2000),
      createdAt: iso(created),
      updatedAt: iso(created + 2000),
    },
  };
}

export function researchPerson(w: World, i: number): Rec {
  const r = w.research.rng(i, 1);
  const p = w.person(r);
  const co = w.company(r);
  const created = w.research.createdMs(i);
  const status =
    i === w.sizes.researchPeople - 1
      ? 'running'
      : r.pick(['complete', 'complete', 'complete', 'failed', 'idle']);
  return {
    id: w.research.id(i),
    user_id: null,
    first_name: p.first,
    last_name: p.last,
    linkedin_url: `https://www.linkedin.com/in/${r.hex(10)}`,
    role: r.pick(TITLES),
    company: co.name,
    company_domain: co.domain,
    photo_url: r.maybe(`https://img.example/${r.hex(8)}.jpg`, 0.5),
    status,
    last_enriched_at: status === 'complete' ? iso(created + 300_000) : null,
    created_at: iso(created),
    updated_at: iso(created + 300_000),
  };
}
