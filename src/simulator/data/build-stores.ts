/** One store per stream, wired to the generators. */
import type { StreamName } from '../types.ts';
import type { BaseSource, Collection, Rec, Serve } from './collection.ts';
import { DerivedStore } from './derived-store.ts';
import * as enr from './gen-enrichment.ts';
import * as inbox from './gen-inbox.ts';
import * as leads from './gen-leads.ts';
import * as sales from './gen-sales.ts';
import * as sig from './gen-signals.ts';
import * as usage from './gen-usage.ts';
import { Memberships } from './memberships.ts';
import { SIGNAL_SOURCES } from './pools.ts';
import { ChildStore, FanOutStore, RootStore, type Store, segmentSource, spaceSource } from './store.ts';
import { SubsetCollection } from './subset-collection.ts';
import type { World } from './world.ts';

export type Stores = Record<StreamName, Store>;

/** `version` moves on every mutation (derived fields cache on it); `now` is the simulator clock. */
export function buildStores(w: World, version: () => number, now: () => number): Stores {
  const root = (
    stream: StreamName,
    order: 'asc' | 'desc',
    base: BaseSource,
    created?: string,
    updated?: string,
    serve?: Serve,
  ) => new RootStore({ stream, order, idField: 'id', created, updated, serve }, base, () => base.make(0));

  const campaigns = root(
    'campaigns',
    'desc',
    spaceSource(w.campaigns, (i) => sales.campaign(w, i)),
    'created_at',
    'updated_at',
  );
  const threads = new RootStore(
    {
      stream: 'threads',
      order: 'desc',
      idField: 'id',
      created: 'created_at',
      updated: 'updated_at',
      moveOn: ['last_message_at'],
    },
    spaceSource(w.threads, (i) => inbox.thread(w, i)),
    () => inbox.thread(w, 0),
  );
  // A lead's `lists` and a list's counts follow the memberships as they are at each read.
  const memberships: Memberships = new Memberships(
    w,
    () => ({ leads: leadStore, lists, list_leads: listLeads }),
    version,
  );
  const leadStore: RootStore = root(
    'leads',
    'asc',
    spaceSource(w.leads, (i) => leads.lead(w, i)),
    'createdAt',
    'updatedAt',
    (r, key, inserted) => ({ ...r, lists: memberships.listsOf(inserted ? undefined : key, String(r.id)) }),
  );
  const lists = root(
    'lists',
    'desc',
    spaceSource(w.lists, (i) => leads.list(w, i)),
    'createdAt',
    'updatedAt',
    (r, key, inserted) => ({ ...r, ...memberships.counts(String(r.id), key, inserted) }),
  );
  // A list's records are its leads as they are now (an added lead is not a copy).
  const listLeads = new ChildStore(
    {
      stream: 'list_leads',
      order: 'asc',
      idField: 'id',
      created: 'createdAt',
      updated: 'updatedAt',
      serve: (r, _key, inserted) => (inserted ? (leadStore.collection.get(String(r.id))?.record ?? r) : r),
    },
    lists,
    w.lists,
    (l) => {
      const { start, size } = w.listRange(l);
      return {
        size,
        make: (i) => leadStore.collection.baseAt(start + i) ?? leads.lead(w, start + i),
        indexOf: (id) => {
          const g = w.leads.indexOf(id);
          return g !== undefined && g >= start && g < start + size ? g - start : undefined;
        },
      };
    },
    () => leads.lead(w, 0),
  );
  const senders = root(
    'senders',
    'desc',
    spaceSource(w.senders, (i) => sales.sender(w, i)),
    'created_at',
    'updated_at',
  );
  const tasks = root(
    'lead_search_tasks',
    'desc',
    spaceSource(w.tasks, (i) => leads.leadSearchTask(w, i)),
    'createdAt',
  );
  const runs = root(
    'enrichment_runs',
    'asc',
    spaceSource(w.runs, (i) => enr.enrichmentRun(w, i)),
    'timing.createdAt',
    'timing.updatedAt',
  );

  const child = (
    stream: StreamName,
    order: 'asc' | 'desc',
    parent: RootStore,
    parentSpace: World['campaigns'],
    baseFor: (c: number) => BaseSource,
    template: () => Rec,
    extra: { parentField?: string; created?: string; updated?: string; idField?: string },
    walked?: (p: Rec) => boolean,
  ) =>
    new ChildStore(
      { stream, order, idField: extra.idField ?? 'id', ...extra },
      parent,
      parentSpace,
      baseFor,
      template,
      walked,
    );

  const campaignSenders = child(
    'campaign_senders',
    'asc',
    campaigns,
    w.campaigns,
    (c) => {
      const ids = sales.campaignSenderIndexes(w, c).map((i) => w.senders.id(i));
      return {
        size: ids.length,
        make: (k) => sales.campaignSender(w, c, k),
        indexOf: (id) => {
          const k = ids.indexOf(id);
          return k < 0 ? undefined : k;
        },
      };
    },
    () => sales.campaignSender(w, 0, 0),
    { idField: 'account_id' },
  );

  const signalTypes = root(
    'signal_types',
    'asc',
    spaceSource(w.signalTypes, (i) => sig.signalType(w, i)),
    'created_at',
    'updated_at',
  );

  const listedTasks = () => new Set([...tasks.collection.iterate()].slice(0, 20).map((e) => e.record.id));

  return {
    account: root('account', 'asc', {
      size: 1,
      make: () => sales.account(w),
      indexOf: (id) => (id === w.userId ? 0 : undefined),
    }),
    campaigns,
    campaign_sequence_nodes: child(
      'campaign_sequence_nodes',
      'asc',
      campaigns,
      w.campaigns,
      (c) => segmentSource(w.nodeSeg, w.nodes, c, (g) => sales.sequenceNode(w, g)),
      () => sales.sequenceNode(w, 0),
      { parentField: 'campaign_id' },
    ),
    campaign_leads: child(
      'campaign_leads',
      'desc',
      campaigns,
      w.campaigns,
      (c) => segmentSource(w.prospectSeg, w.prospects, c, (g) => sales.prospect(w, g)),
      () => sales.prospect(w, 0),
      { parentField: 'campaign_id', created: 'created_at', updated: 'updated_at' },
    ),
    campaign_senders: campaignSenders,
    campaign_messages: child(
      'campaign_messages',
      'asc',
      campaigns,
      w.campaigns,
      (c) => segmentSource(w.messageSeg, w.messages, c, (g) => sales.campaignMessage(w, g)),
      () => sales.campaignMessage(w, 0),
      { parentField: 'campaign_id', created: 'created_at' },
    ),
    threads,
    thread_messages: child(
      'thread_messages',
      'asc',
      threads,
      w.threads,
      (t) => segmentSource(w.threadMessageSeg, w.threadMessages, t, (g) => inbox.threadMessage(w, g)),
      () => inbox.threadMessage(w, 0),
      { parentField: 'conversation_id', created: 'sent_at' },
    ),
    leads: leadStore,
    lists,
    list_leads: listLeads,
    lead_search_tasks: tasks,
    lead_search_results: child(
      'lead_search_results',
      'asc',
      tasks,
      w.tasks,
      (t) => segmentSource(w.resultSeg, w.results, t, (g) => leads.leadSearchResult(w, g)),
      () => leads.leadSearchResult(w, 0),
      { parentField: 'task_id', created: 'created_at' },
      (task) => task.status === 'completed' && listedTasks().has(task.id),
    ),
    signals: root(
      'signals',
      'desc',
      spaceSource(w.signals, (i) => sig.signal(w, i)),
      'createdAt',
    ),
    signal_types: signalTypes,
    signal_leads: new FanOutStore(
      { stream: 'signal_leads', order: 'desc', idField: 'id', updated: 'lastSignalAt' },
      {
        person: spaceSource(w.signalLeads.person, (i) => sig.signalLead(w, 'person', i)),
        company: spaceSource(w.signalLeads.company, (i) => sig.signalLead(w, 'company', i)),
      },
      (p) => ({ ...sig.signalLead(w, p === 'company' ? 'company' : 'person', 0), type: p }),
    ),
    signal_searches: root(
      'signal_searches',
      'desc',
      spaceSource(w.signalSearches, (i) => sig.signalSearch(w, i)),
      'createdAt',
    ),
    enrichments: root(
      'enrichments',
      'asc',
      spaceSource(w.enrichments, (i) => enr.enrichment(w, i)),
    ),
    enrichment_runs: runs,
    enrichment_items: child(
      'enrichment_items',
      'asc',
      runs,
      w.runs,
      (r) => segmentSource(w.itemSeg, w.items, r, (g) => enr.enrichmentItem(w, g)),
      () => enr.enrichmentItem(w, 0),
      { parentField: 'runId', created: 'timing.createdAt', updated: 'timing.updatedAt' },
    ),
    senders,
    // The inboxes are the email-type senders: the same rows, so a change to one shows in both.
    email_accounts: new RootStore(
      {
        stream: 'email_accounts',
        order: 'desc',
        idField: 'id',
        created: 'created_at',
        updated: 'updated_at',
      },
      new SubsetCollection(
        senders.collection,
        (r) => r.type === 'email',
        'email_accounts (email senders only)',
      ),
      () => sales.sender(w, 0),
    ),
    email_domains: root(
      'email_domains',
      'desc',
      spaceSource(w.domains, (i) => sales.emailDomain(w, i)),
      'created_at',
      'updated_at',
    ),
    research_people: root(
      'research_people',
      'desc',
      spaceSource(w.research, (i) => enr.researchPerson(w, i)),
      'created_at',
      'updated_at',
    ),
    // issue 15: signals and usage
    signal_keywords: root(
      'signal_keywords',
      'asc',
      spaceSource(w.keywords, (i) => sig.signalKeyword(w, i)),
      'createdAt',
    ),
    signal_type_sources: child(
      'signal_type_sources',
      'asc',
      signalTypes,
      w.signalTypes,
      (c) => ({
        size: SIGNAL_SOURCES.length,
        make: (k) => sig.typeSource(w, c, k),
        indexOf: (id) => indexOrUndefined(SIGNAL_SOURCES.indexOf(id)),
      }),
      () => sig.typeSource(w, 0, 0),
      { idField: 'source_id' },
    ),
    source_configs: new RootStore(
      { stream: 'source_configs', order: 'asc', idField: 'source_id', updated: 'updated_at' },
      {
        size: sig.SOURCE_CONFIGS,
        make: (k) => sig.sourceConfig(w, k),
        indexOf: (id) => indexOrUndefined(SIGNAL_SOURCES.slice(0, sig.SOURCE_CONFIGS).indexOf(id)),
      },
      () => sig.sourceConfig(w, 0),
    ),
    campaign_account_usage: new DerivedStore(
      { stream: 'campaign_account_usage', order: 'asc', idField: 'account_id' },
      () => campaignSenders.partitions(),
      (campaignId, day) => {
        const senders = campaignSenders.get(campaignId);
        const today = usage.utcDay(now());
        return senders && all(senders).map((s) => usage.accountUsage(w, s, day ?? today, today));
      },
    ),
    sender_limits: new DerivedStore(
      { stream: 'sender_limits', order: 'desc', idField: 'id' },
      () => [''],
      (p) => (p === '' ? all(senders.collection).map((s) => usage.settingsAccount(w, s, now())) : undefined),
    ),
    campaign_weekly_stats: new DerivedStore(
      { stream: 'campaign_weekly_stats', order: 'desc', idField: 'week_start' },
      () => [''],
      (p) => (p === '' ? usage.weeklyRollups(w, all(campaigns.collection), now()) : undefined),
    ),
    list_messages: child(
      'list_messages',
      'asc',
      lists,
      w.lists,
      (l) => segmentSource(w.listMessageSeg, w.listMessages, l, (g) => leads.listMessage(w, g)),
      () => leads.listMessage(w, 0),
      { parentField: 'listId', created: 'createdAt' },
    ),
  };
}

const indexOrUndefined = (i: number) => (i < 0 ? undefined : i);

function all(c: Collection): Rec[] {
  return [...c.iterate()].map((e) => e.record);
}
