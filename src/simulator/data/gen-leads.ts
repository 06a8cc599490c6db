/** Record generators: leads, lists, lead-search tasks and their provider results. */
import type { Rec } from './collection.ts';
import { CITIES, INDUSTRIES, TITLES } from './pools.ts';
import { iso } from './rng.ts';
import type { World } from './world.ts';

/** Lead i's generated type without generating the lead (the first draw of `lead`). */
export function leadType(w: World, i: number): 'person' | 'company' {
  return w.leads.rng(i, 1).bool(0.1) ? 'company' : 'person';
}

export function lead(w: World, i: number): Rec {
  const r = w.leads.rng(i, 1);
  const created = w.leads.createdMs(i);
  const isCompany = r.bool(0.1);
  const p = w.person(r);
  const co = w.company(r);
  const [city, state, country] = r.pick(CITIES);
  const industry = r.pick(INDUSTRIES);
  return {
    id: w.leads.id(i),
    type: isCompany ? 'company' : 'person',
    name: isCompany
      ? { full: co.name, short: co.name.split(' ')[0], aliases: [], first: null, last: null }
      : {
          full: p.full,
          short: p.first,
          aliases: r.bool(0.1) ? [`${p.first[0]}. ${p.last}`] : [],
          first: p.first,
          last: p.last,
        },
    // Filled in from the current memberships when served (memberships.ts).
    lists: [],
    sources: [{ id: `src_${r.hex(8)}` }],
    createdAt: iso(created),
    updatedAt: iso(created + r.int(0, 30) * 86_400_000),
    location: r.maybe({ city, state, country, raw: [city, state, country].filter(Boolean).join(', ') }, 0.15),
    socials: isCompany
      ? [{ url: `https://www.linkedin.com/company/${co.domain.split('.')[0]}` }]
      : [{ url: `https://www.linkedin.com/in/${r.hex(10)}` }],
    contacts: isCompany || r.bool(0.3) ? [] : [{ value: w.email(p.first, p.last, co.domain) }],
    attributes: isCompany
      ? { industry, employees: r.int(5, 5000) }
      : { seniority: r.pick(['ic', 'manager', 'director', 'vp', 'c_level']), industry },
    raw: r.bool(0.5) ? { provider: 'apollo', score: r.int(1, 100) } : {},
    title: isCompany ? null : r.pick(TITLES),
    company: isCompany ? null : r.maybe({ name: co.name, id: `co_${r.hex(8)}`, domain: co.domain }, 0.1),
  };
}

export function list(w: World, l: number): Rec {
  const r = w.lists.rng(l, 1);
  const created = w.lists.createdMs(l);
  return {
    id: w.lists.id(l),
    name: w.listName(l),
    description: r.maybe('Imported from lead search · “ICP v2”', 0.4),
    // Filled in from the current memberships when served (memberships.ts).
    leadCount: 0,
    personCount: 0,
    companyCount: 0,
    createdAt: iso(created),
    updatedAt: iso(created + 3_600_000),
    activeSearchTaskId: null,
    searchFilters: r.maybe({ titles: ['VP of Sales'], countries: ['Germany'] }, 0.5),
  };
}

export function leadSearchTask(w: World, t: number): Rec {
  const r = w.tasks.rng(t, 1);
  const created = w.tasks.createdMs(t);
  const status = w.taskStatus(t);
  const prompt = r.pick([
    'Heads of RevOps at Series B SaaS in DACH',
    'CTOs at logistics companies in Nordics',
    'Founders of fintech startups in São Paulo',
    'VPs of Sales, 50–500 employees',
  ]);
  return {
    id: w.tasks.id(t),
    type: 'lead_search',
    status,
    statusUrl: `/api/leads/search?taskId=${w.tasks.id(t)}`,
    resultListId: status === 'completed' ? w.lists.id(t % w.sizes.lists) : null,
    prompt,
    title: prompt.slice(0, 40),
    filters: { titles: [r.pick(TITLES)], industries: [r.pick(INDUSTRIES)] },
    resultCount: w.resultSeg.size(t),
    errorMessage: status === 'failed' ? 'provider quota exceeded' : null,
    createdAt: iso(created),
    completedAt: status === 'completed' || status === 'failed' ? iso(created + 600_000) : null,
  };
}

export function leadSearchResult(w: World, g: number): Rec {
  const t = w.resultSeg.parentOf(g);
  const r = w.results.rng(g, 1);
  const p = w.person(r);
  const co = w.company(r);
  const [city, , country] = r.pick(CITIES);
  return {
    id: w.results.id(g),
    task_id: w.tasks.id(t),
    provider: 'apollo',
    full_name: p.full,
    first_name: p.first,
    last_name: p.last,
    title: r.pick(TITLES),
    company_name: co.name,
    company_domain: co.domain,
    linkedin_url: r.maybe(`https://www.linkedin.com/in/${r.hex(10)}`),
    email: r.maybe(w.email(p.first, p.last, co.domain), 0.4),
    location: `${city}, ${country}`,
    created_at: iso(w.results.createdMs(g)),
  };
}

/** A list agent chat message (`GET /api/lists/{id}/messages`), oldest first within its list. */
export function listMessage(w: World, g: number): Rec {
  const l = w.listMessageSeg.parentOf(g);
  const k = g - w.listMessageSeg.start(l);
  const r = w.listMessages.rng(g, 1);
  const assistant = k % 2 === 1;
  return {
    id: w.listMessages.id(g),
    listId: w.lists.id(l),
    role: assistant ? 'assistant' : 'user',
    content: assistant
      ? r.pick(['Added a “Seniority” column.', 'Scored 40 rows for ICP fit.', 'Found 12 duplicates.'])
      : r.pick(['Add a seniority column', 'Score these for ICP fit', 'Any duplicates with my CRM list?']),
    toolCalls: assistant ? [{ name: r.pick(['add_column', 'run_enrichment']), args: {} }] : null,
    toolResult: assistant ? { ok: true } : null,
    createdAt: iso(w.listMessages.createdMs(g)),
  };
}
