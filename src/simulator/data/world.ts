/**
 * The generated account: id spaces per stream, how children split among parents, and the few
 * per-record facts several streams share (a thread's status, a task's status, list ranges).
 * Everything is a pure function of (seed, scale).
 */
import { COMPANIES, FIRST_NAMES, LAST_NAMES, slug } from './pools.ts';
import { hash, Rng, uuid4 } from './rng.ts';
import { type Sizes, sizesFor } from './sizes.ts';
import { IdSpace, Segments } from './space.ts';

/** Generated data ends here (fixed, so data does not depend on the wall clock). */
export const REF_MS = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const DAY = 86_400_000;

export const THREAD_STATUSES = ['active', 'archived', 'draft', 'warmup'] as const;
export const TASK_STATUSES = [
  'completed',
  'completed',
  'completed',
  'completed',
  'failed',
  'running',
  'pending',
] as const;
export const RUN_STATUSES = ['completed', 'completed', 'running', 'failed', 'cancelled', 'pending'] as const;

export class World {
  readonly sizes: Sizes;
  readonly userId: string;
  readonly senders: IdSpace;
  readonly domains: IdSpace;
  readonly campaigns: IdSpace;
  readonly prospects: IdSpace;
  readonly nodes: IdSpace;
  readonly messages: IdSpace;
  readonly threads: IdSpace;
  readonly threadMessages: IdSpace;
  readonly leads: IdSpace;
  readonly lists: IdSpace;
  readonly tasks: IdSpace;
  readonly results: IdSpace;
  readonly signals: IdSpace;
  readonly signalTypes: IdSpace;
  readonly signalLeads: { person: IdSpace; company: IdSpace };
  readonly signalSearches: IdSpace;
  readonly enrichments: IdSpace;
  readonly runs: IdSpace;
  readonly items: IdSpace;
  readonly research: IdSpace;
  readonly keywords: IdSpace;
  readonly listMessages: IdSpace;

  readonly prospectSeg: Segments;
  readonly nodeSeg: Segments;
  readonly messageSeg: Segments;
  readonly threadMessageSeg: Segments;
  readonly resultSeg: Segments;
  readonly itemSeg: Segments;
  readonly listMessageSeg: Segments;

  constructor(
    readonly seed: number,
    readonly scale: number,
  ) {
    const z = sizesFor(scale);
    this.sizes = z;
    const space = (tag: number, count: number, stepMs: number, endMs = REF_MS) =>
      new IdSpace(seed, tag, count, stepMs, endMs);
    this.userId = uuid4(new Rng(hash(seed, 0xacc)));
    this.senders = space(1, z.senders, 3 * DAY, REF_MS - 200 * DAY);
    this.domains = space(2, z.emailDomains, 5 * DAY, REF_MS - 250 * DAY);
    this.campaigns = space(3, z.campaigns, 2 * DAY, REF_MS - 30 * DAY);
    this.threads = space(7, z.threads, 10 * MIN, REF_MS - 10 * DAY);
    this.leads = space(9, z.leads, 20_000);
    this.lists = space(10, z.lists, DAY, REF_MS - 2 * DAY);
    this.tasks = space(11, z.leadSearchTasks, 7 * 3_600_000);
    this.signals = space(13, z.signals, MIN);
    this.signalTypes = space(14, z.signalTypes, DAY, REF_MS - 300 * DAY);
    this.signalLeads = {
      person: space(15, z.signalLeadsPerson, 4 * MIN),
      company: space(16, z.signalLeadsCompany, 6 * MIN),
    };
    this.signalSearches = space(17, z.signalSearches, 5 * 3_600_000);
    this.enrichments = space(18, 10, DAY, REF_MS - 400 * DAY);
    this.runs = space(19, z.enrichmentRuns, 9 * 3_600_000);
    this.research = space(21, z.researchPeople, 3 * 3_600_000);
    this.keywords = space(22, z.signalKeywords, 3_600_000, REF_MS - DAY);

    this.prospectSeg = new Segments(this.split(0x51, z.campaigns, z.prospects, true));
    this.prospects = space(4, this.prospectSeg.total, 7000, REF_MS - 5 * DAY);
    this.nodeSeg = new Segments(Array.from({ length: z.campaigns }, (_, c) => this.rng(0x52, c).int(2, 6)));
    this.nodes = space(5, this.nodeSeg.total, 1000, REF_MS - 20 * DAY);
    this.messageSeg = new Segments(
      Array.from({ length: z.campaigns }, (_, c) =>
        Math.min(this.prospectSeg.size(c), this.rng(0x53, c).int(0, 12)),
      ),
    );
    this.messages = space(6, this.messageSeg.total, 1000, REF_MS - 3 * DAY);
    this.threadMessageSeg = new Segments(
      Array.from({ length: z.threads }, (_, t) => this.threadMessageCount(t)),
    );
    this.threadMessages = space(8, this.threadMessageSeg.total, 1000, REF_MS - 1 * DAY);
    this.resultSeg = new Segments(
      Array.from({ length: z.leadSearchTasks }, (_, t) =>
        this.taskStatus(t) === 'completed'
          ? this.rng(0x54, t).int(Math.ceil(z.resultsPerTask / 2), z.resultsPerTask)
          : 0,
      ),
    );
    this.results = space(12, this.resultSeg.total, 1000, REF_MS - 1 * DAY);
    this.itemSeg = new Segments(Array.from({ length: z.enrichmentRuns }, (_, r) => this.runItemCount(r)));
    this.items = space(20, this.itemSeg.total, 1000, REF_MS - 1 * DAY);
    this.listMessageSeg = new Segments(
      Array.from({ length: z.lists }, (_, l) => this.rng(0x57, l).int(l === 0 ? 2 : 0, z.messagesPerList)),
    );
    this.listMessages = space(23, this.listMessageSeg.total, 90_000, REF_MS - 2 * 3_600_000);
  }

  rng(tag: number, i: number, salt = 0): Rng {
    return new Rng(hash(this.seed, tag, i, salt));
  }

  /** Split `total` children among `parents` with random weights; the newest parent may be empty. */
  private split(tag: number, parents: number, total: number, lastEmpty: boolean): number[] {
    const used = lastEmpty && parents > 1 ? parents - 1 : parents;
    const weights = Array.from({ length: used }, (_, p) => this.rng(tag, p).int(1, 4));
    const sum = weights.reduce((a, b) => a + b, 0);
    const out = weights.map((w) => Math.floor((total * w) / sum));
    out[0] = (out[0] as number) + total - out.reduce((a, b) => a + b, 0);
    while (out.length < parents) out.push(0);
    return out;
  }

  threadStatus(t: number): (typeof THREAD_STATUSES)[number] {
    const r = this.rng(0x70, t).float();
    return r < 0.55 ? 'active' : r < 0.8 ? 'archived' : r < 0.9 ? 'draft' : 'warmup';
  }

  private threadMessageCount(t: number): number {
    const s = this.threadStatus(t);
    const r = this.rng(0x71, t);
    if (s === 'draft') return r.int(0, 1);
    if (s === 'warmup') return r.int(0, 2);
    return r.int(1, 8);
  }

  threadMessageMs(t: number, k: number): number {
    return this.threads.createdMs(t) + (k + 1) * 37 * MIN;
  }

  taskStatus(t: number): (typeof TASK_STATUSES)[number] {
    // The newest tasks are the ones still running.
    if (t === this.sizes.leadSearchTasks - 1) return 'running';
    return this.rng(0x72, t).pick(TASK_STATUSES.slice(0, 5));
  }

  runStatus(r: number): (typeof RUN_STATUSES)[number] {
    if (r === this.sizes.enrichmentRuns - 1) return 'pending';
    if (r === this.sizes.enrichmentRuns - 2) return 'running';
    return this.rng(0x73, r).pick(RUN_STATUSES.slice(0, 5));
  }

  runResolvedCount(r: number): number {
    return this.rng(0x74, r).int(Math.ceil(this.sizes.itemsPerRun / 2), this.sizes.itemsPerRun);
  }

  private runItemCount(r: number): number {
    const s = this.runStatus(r);
    const n = this.runResolvedCount(r);
    return s === 'pending' ? 0 : s === 'running' ? Math.floor(n / 2) : n;
  }

  /** List l holds leads [start, start+size) in membership order; the newest list is empty. */
  listRange(l: number): { start: number; size: number } {
    const L = this.sizes.lists;
    const N = this.sizes.leads;
    if (l === L - 1 && L > 1) return { start: 0, size: 0 };
    const start = Math.floor((l * N) / L);
    return { start, size: Math.max(0, Math.min(N - start, Math.ceil((1.5 * N) / L))) };
  }

  listName(l: number): string {
    return `${this.rng(0x75, l).pick(['Q1', 'Q2', 'EMEA', 'DACH', 'Nordics', 'LatAm', 'ICP', 'Founders'])} · list ${l + 1}`;
  }

  person(r: Rng): { first: string; last: string; full: string } {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    return { first, last, full: `${first} ${last}` };
  }

  company(r: Rng): { name: string; domain: string } {
    const name = r.pick(COMPANIES);
    return { name, domain: `${slug(name).replace(/-/g, '') || 'kumo'}.example` };
  }

  email(first: string, last: string, domain: string): string {
    return `${(slug(first) || 'fang').replace(/-/g, '')}.${(slug(last) || 'wang').replace(/-/g, '')}@${domain}`;
  }
}
