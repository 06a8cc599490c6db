/**
 * Record generators: signals, signal types, signal leads (person/company), signal searches, keyword
 * analytics, per-type sources and saved source configs.
 */
import type { Rec } from './collection.ts';
import { SIGNAL_SOURCES, SIGNAL_TYPES, TITLES } from './pools.ts';
import { iso } from './rng.ts';
import type { World } from './world.ts';

export function signalType(w: World, i: number): Rec {
  const [key, label, description] = SIGNAL_TYPES[i % SIGNAL_TYPES.length] as readonly [
    string,
    string,
    string,
  ];
  const builtIn = i < 6;
  const created = w.signalTypes.createdMs(i);
  return {
    id: w.signalTypes.id(i),
    label,
    description,
    kind: builtIn ? 'structured' : 'keyword',
    enabled: w.signalTypes.rng(i, 1).bool(0.85),
    keywords: builtIn ? [] : ['AI agents', 'agentic'],
    disqualifiers: [],
    config: { key },
    built_in: builtIn,
    search_instructions: null,
    scoring_criteria: builtIn ? null : 'Score 3 if the company announces a product',
    sources: SIGNAL_SOURCES.slice(0, 3 + (i % 4)),
    created_at: iso(created),
    updated_at: iso(created + 86_400_000),
  };
}

export function signal(w: World, i: number): Rec {
  const r = w.signals.rng(i, 1);
  const created = w.signals.createdMs(i);
  const t = r.int(0, w.sizes.signalTypes - 1);
  const [, label] = SIGNAL_TYPES[t % SIGNAL_TYPES.length] as readonly [string, string, string];
  const p = w.person(r);
  const co = w.company(r);
  const hasPerson = r.bool(0.4);
  const personIdx = r.int(0, w.sizes.signalLeadsPerson - 1);
  const companyIdx = r.int(0, w.sizes.signalLeadsCompany - 1);
  return {
    id: w.signals.id(i),
    signalTypeId: w.signalTypes.id(t),
    signalTypeLabel: label,
    sourceId: r.pick(SIGNAL_SOURCES),
    score: r.int(1, 3),
    title: `${co.name}: ${label.toLowerCase()}`,
    excerpt: `${co.name} is ${label === 'Hiring' ? `hiring a ${r.pick(TITLES)}` : 'in the news'} — « nouvelles »`,
    url: `https://news.example/${r.hex(10)}`,
    comment: null,
    dmText: r.maybe(`Congrats on the news, ${p.first}!`, 0.7),
    commentText: null,
    createdAt: iso(created),
    classification: { relevance: r.pick(['high', 'medium', 'low']) },
    authorName: r.maybe(p.full, 0.5),
    authorUrl: null,
    entityCompany: co.name,
    entityPerson: hasPerson ? p.full : null,
    groupKey: `${co.domain}`,
    structuredWording: {
      type: label,
      company: co.name,
      jobTitle: r.maybe(r.pick(TITLES), 0.5),
      location: null,
    },
    formattedTitle: `${label} · ${co.name}`,
    suggestedActions: ['send_dm'],
    workflowRun: r.maybe({ id: `run_${r.hex(10)}`, status: 'completed', workflowId: `wf_${r.hex(6)}` }, 0.8),
    actionState: {},
    color: r.pick(['green', 'amber', 'blue']),
    label,
    entityId: w.signalLeads.company.id(companyIdx),
    personEntityId: hasPerson ? w.signalLeads.person.id(personIdx) : null,
    entityDomain: co.domain,
    entityMetadata: {
      person: hasPerson ? { name: p.full } : null,
      company: { name: co.name, domain: co.domain },
    },
    normalized: {},
  };
}

export function signalLead(w: World, groupBy: 'person' | 'company', i: number): Rec {
  const space = w.signalLeads[groupBy];
  const r = space.rng(i, 1);
  const p = w.person(r);
  const co = w.company(r);
  const last = space.createdMs(i);
  return {
    id: space.id(i),
    type: groupBy,
    name: groupBy === 'person' ? p.full : co.name,
    title: groupBy === 'person' ? r.pick(TITLES) : null,
    company: co.name,
    domain: co.domain,
    linkedinUrl: r.maybe(`https://www.linkedin.com/${groupBy === 'person' ? 'in' : 'company'}/${r.hex(8)}`),
    signalCount: r.int(1, 12),
    topScore: r.int(1, 3),
    lastSignalAt: iso(last),
  };
}

export function signalSearch(w: World, i: number): Rec {
  const r = w.signalSearches.rng(i, 1);
  const created = w.signalSearches.createdMs(i);
  const done = i < w.sizes.signalSearches - 1;
  return {
    id: w.signalSearches.id(i),
    query: r.pick([
      'companies hiring RevOps',
      'series A fintech Nordics',
      'Kubernetes adoption',
      'nouveaux CTO en France',
    ]),
    status: done ? 'completed' : 'running',
    resultCount: done ? r.int(0, 80) : 0,
    createdAt: iso(created),
    completedAt: done ? iso(created + 420_000) : null,
  };
}

/** `GET /api/signals/analytics?type=keywords` row: one tracked keyword and what it matched (camelCase surface). */
export function signalKeyword(w: World, i: number): Rec {
  const r = w.keywords.rng(i, 1);
  const t = r.int(0, w.sizes.signalTypes - 1);
  const [, label] = SIGNAL_TYPES[t % SIGNAL_TYPES.length] as readonly [string, string, string];
  const created = w.keywords.createdMs(i);
  const signalCount = r.int(0, 40);
  return {
    id: w.keywords.id(i),
    keyword: `${r.pick(KEYWORD_STEMS)} ${r.pick(KEYWORD_TAILS)} ${i + 1}`,
    signalTypeId: w.signalTypes.id(t),
    signalTypeLabel: label,
    matchCount: signalCount + r.int(0, 60),
    signalCount,
    avgScore: signalCount === 0 ? null : Math.round((1 + 2 * r.float()) * 100) / 100,
    topScore: signalCount === 0 ? null : r.int(1, 3),
    lastMatchedAt: signalCount === 0 ? null : iso(created + r.int(1, 500) * 3_600_000),
    createdAt: iso(created),
  };
}

const KEYWORD_STEMS = ['AI agents', 'SOC 2', 'Series B', 'hiring SDRs', 'Kubernetes', 'Datenschutz', 'ERP'];
const KEYWORD_TAILS = ['launch', 'migration', 'pricing', 'RFP', 'expansion', 'rollout'];

/** `GET /api/v1/signals/types/{id}/sources` row k of type c: every registered source, enabled or not. */
export function typeSource(w: World, c: number, k: number): Rec {
  const r = w.signalTypes.rng(c, 0x50 + k);
  const source = SIGNAL_SOURCES[k] as string;
  const enabled = (signalType(w, c).sources as string[]).includes(source);
  return {
    source_id: source,
    enabled,
    keywords_extra: enabled && r.bool(0.3) ? [`${source} mention`, 'intent'] : [],
    prompt_override: enabled && r.bool(0.2) ? `Only score ${source} items that name a buyer` : null,
  };
}

/** Saved per-source configs (`GET /api/v1/sources/config`): the first SOURCE_CONFIGS sources. */
export const SOURCE_CONFIGS = 5;

export function sourceConfig(w: World, k: number): Rec {
  const r = w.rng(0x5c, k);
  return {
    source_id: SIGNAL_SOURCES[k],
    enabled: r.bool(0.8),
    config: { maxItemsPerScan: r.pick([25, 50, 100]), languages: r.pick([['en'], ['en', 'de']]) },
    updated_at: iso(Date.UTC(2025, 11, 1) + k * 86_400_000 + r.int(0, 23) * 3_600_000),
  };
}
