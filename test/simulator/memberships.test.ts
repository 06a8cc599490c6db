/**
 * List membership counters follow the memberships: a list's leadCount/personCount/companyCount
 * and a lead's `lists` are what the list_leads walk holds at the moment of each request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { getJson, walkPartition } from './walk.ts';

type Rec = Record<string, unknown>;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Counts each list's members from the list_leads records themselves. */
function countsFromMembers(s: Simulator): Map<string, Rec> {
  const out = new Map<string, Rec>();
  for (const { record } of s.expected('lists')) {
    out.set(String(record.id), { leadCount: 0, personCount: 0, companyCount: 0 });
  }
  for (const { partition, record } of s.expected('list_leads')) {
    const c = out.get(partition) as Record<string, number>;
    c.leadCount = (c.leadCount ?? 0) + 1;
    const k = record.type === 'company' ? 'companyCount' : 'personCount';
    c[k] = (c[k] ?? 0) + 1;
  }
  return out;
}

/** The lists holding each lead, from the list_leads records. */
function listsFromMembers(s: Simulator): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { partition, record } of s.expected('list_leads')) {
    out.set(String(record.id), [...(out.get(String(record.id)) ?? []), partition]);
  }
  return out;
}

async function servedLists(s: Simulator): Promise<Map<string, Rec>> {
  const { body } = await getJson(s, '/api/lists');
  return new Map((body.lists as Rec[]).map((l) => [String(l.id), l]));
}

async function expectCoherent(s: Simulator): Promise<void> {
  const served = await servedLists(s);
  const fromMembers = countsFromMembers(s);
  expect(served.size).toBe(fromMembers.size);
  for (const [id, counts] of fromMembers) expect(served.get(id), `list ${id}`).toMatchObject(counts);
  const holding = listsFromMembers(s);
  for (const { record } of s.expected('leads')) {
    const ids = (record.lists as { id: string; name: string }[]).map((l) => l.id).sort();
    expect(ids, `lead ${record.id}`).toEqual((holding.get(String(record.id)) ?? []).sort());
    for (const l of record.lists as { id: string; name: string }[])
      expect(l.name).toBe(served.get(l.id)?.name);
  }
}

const leadIds = (s: Simulator) => [...s.expected('leads')].map((e) => String(e.record.id));
const members = (s: Simulator, list: string) =>
  [...s.expected('list_leads')].filter((e) => e.partition === list).map((e) => e.record);

describe('list membership counters', () => {
  it('are exact as generated, also for lists of more than 5,000 leads', async () => {
    sim = await startSimulator({ scale: 80_000, seed: 2, rateLimit: null });
    const served = await servedLists(sim);
    const fromMembers = countsFromMembers(sim);
    expect(Math.max(...[...fromMembers.values()].map((c) => Number(c.leadCount)))).toBeGreaterThan(5000);
    for (const [id, counts] of fromMembers) expect(served.get(id)).toMatchObject(counts);
  });

  it('follow adding, removing and deleting leads, type changes and list renames', async () => {
    sim = await startSimulator({ scale: 300, seed: 5, rateLimit: null });
    const s = sim;
    const lists = [...s.expected('lists')].map((e) => e.record);
    const full = lists.filter((l) => members(s, String(l.id)).length > 0);
    const [a, b] = full.map((l) => String(l.id)) as [string, string];
    const empty = String(lists.find((l) => members(s, String(l.id)).length === 0)?.id);
    const before = await servedLists(s);

    // Add an existing lead (not in list a) to list a and to the empty list.
    const inA = new Set(members(s, a).map((r) => String(r.id)));
    const outsider = leadIds(s).find((id) => !inA.has(id)) as string;
    s.mutate.insert('list_leads', a, { id: outsider });
    s.mutate.insert('list_leads', empty, { id: outsider });
    // Remove a membership, delete a lead that is in list b, change a member's type.
    const onlyB = members(s, b)
      .map((r) => String(r.id))
      .filter((id) => !inA.has(id));
    const [gone, deleted, turned] = onlyB as [string, string, string];
    s.mutate.remove('list_leads', gone, b);
    s.mutate.remove('leads', deleted);
    const oldType = members(s, b).find((r) => r.id === turned)?.type;
    s.mutate.update('leads', turned, { type: oldType === 'company' ? 'person' : 'company' });
    // A brand-new lead created in list b, and a renamed list.
    const created = s.mutate.insert('list_leads', b, { type: 'company' });
    s.mutate.update('lists', a, { name: 'Renamed · Zoë' });

    const after = await servedLists(s);
    expect(after.get(a)?.leadCount).toBe(Number(before.get(a)?.leadCount) + 1);
    expect(after.get(empty)?.leadCount).toBe(1);
    // b: −1 removed, −1 deleted, +1 created.
    expect(after.get(b)?.leadCount).toBe(Number(before.get(b)?.leadCount) - 1);
    await expectCoherent(s);

    const lead = async (id: string) =>
      ((await getJson(s, `/api/leads?id=${id}`)).body.leads as Rec[])[0] as Rec;
    expect(((await lead(outsider)).lists as Rec[]).map((l) => l.id)).toEqual(
      expect.arrayContaining([a, empty]),
    );
    expect(((await lead(outsider)).lists as Rec[]).find((l) => l.id === a)?.name).toBe('Renamed · Zoë');
    expect(((await lead(gone)).lists as Rec[]).map((l) => l.id)).not.toContain(b);
    expect((await lead(String(created.id))).lists).toEqual([{ id: b, name: after.get(b)?.name }]);
    expect(created.lists).toEqual([{ id: b, name: after.get(b)?.name }]);

    // The list walk serves the lead as it is now, also one added after a change.
    const walkedA = await walkPartition(s, 'list_leads', a, 500);
    expect(walkedA.records.at(-1)).toEqual(await lead(outsider));
    s.mutate.update('leads', outsider, { title: 'Chief Everything Officer' });
    const again = await walkPartition(s, 'list_leads', empty, 500);
    expect(again.records).toEqual([await lead(outsider)]);
  });

  it('a deleted list leaves its leads’ lists; a new list starts empty; updating a list lead updates the lead', async () => {
    sim = await startSimulator({ scale: 300, seed: 5, rateLimit: null });
    const s = sim;
    const [a] = [...s.expected('lists')]
      .map((e) => String(e.record.id))
      .filter((id) => members(s, id).length);
    const member = String(members(s, a as string)[0]?.id);
    s.mutate.remove('lists', a as string);
    const created = s.mutate.insert('lists', '', { name: 'Fresh' });
    expect(created).toMatchObject({ leadCount: 0, personCount: 0, companyCount: 0 });
    expect((await servedLists(s)).get(String(created.id))).toMatchObject({ leadCount: 0 });
    const served = ((await getJson(s, `/api/leads?id=${member}`)).body.leads as Rec[])[0] as Rec;
    expect((served.lists as Rec[]).map((l) => l.id)).not.toContain(a);
    const [b] = [...s.expected('lists')]
      .map((e) => String(e.record.id))
      .filter((id) => members(s, id).length);
    const other = String(members(s, b as string)[0]?.id);
    s.mutate.update('list_leads', other, { title: 'Head of Everything' }, b);
    expect([...s.expected('leads')].find((e) => e.record.id === other)?.record.title).toBe(
      'Head of Everything',
    );
    await expectCoherent(s);
  });
});
