/**
 * Senders and email accounts are one row (docs/puffle-api.md: "senders / accounts / email accounts
 * share this row"): GET /api/email/accounts serves the email-type senders, so a change made
 * through either stream, or by a side effect, shows in both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MutationError } from '../../src/simulator/errors/mutation-error.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { getJson } from './walk.ts';

type Rec = Record<string, unknown>;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function served(s: Simulator): Promise<{ senders: Map<unknown, Rec>; inboxes: Rec[] }> {
  const senders = (await getJson(s, '/api/senders')).body.accounts as Rec[];
  const inboxes = (await getJson(s, '/api/email/accounts')).body.accounts as Rec[];
  return { senders: new Map(senders.map((r) => [r.id, r])), inboxes };
}

/** Every inbox is the email sender with its id, field for field, in the same (newest first) order. */
async function expectSameRows(s: Simulator): Promise<void> {
  const { senders, inboxes } = await served(s);
  const emailSenders = [...senders.values()].filter((r) => r.type === 'email');
  expect(inboxes).toEqual(emailSenders);
  expect([...s.expected('email_accounts')].map((e) => e.record)).toEqual(emailSenders);
  expect(s.count('email_accounts')).toBe(emailSenders.length);
}

describe('senders and email accounts', () => {
  it('a change through either stream shows in both', async () => {
    sim = await startSimulator({ scale: 600, seed: 4, rateLimit: null });
    const s = sim;
    await expectSameRows(s);
    const [first, second, third] = [...s.expected('email_accounts')].map((e) => String(e.record.id));

    const viaInbox = s.mutate.update('email_accounts', first as string, { display_name: 'Renée (inbox)' });
    const viaSender = s.mutate.update('senders', second as string, { signature: '— Łukasz' });
    const { senders, inboxes } = await served(s);
    expect(senders.get(first)).toEqual(viaInbox);
    expect(inboxes.find((r) => r.id === second)).toEqual(viaSender);
    expect(senders.get(first)?.updated_at).toBe(viaInbox.updated_at);

    const newInbox = s.mutate.insert('email_accounts', '', { display_name: 'New inbox' });
    const newSender = s.mutate.insert('senders', '', { type: 'email', display_name: 'New email sender' });
    const linkedin = s.mutate.insert('senders', '', { type: 'linkedin', email_address: null });
    s.mutate.remove('senders', third as string);
    const after = await served(s);
    expect(after.senders.get(newInbox.id)).toEqual(newInbox);
    expect(after.inboxes.map((r) => r.id)).toEqual(expect.arrayContaining([newInbox.id, newSender.id]));
    expect(after.inboxes.map((r) => r.id)).not.toContain(linkedin.id);
    expect(after.inboxes.map((r) => r.id)).not.toContain(third);
    expect(() => s.mutate.update('email_accounts', third as string, {})).toThrow(MutationError);
    expect(() => s.mutate.update('email_accounts', String(linkedin.id), {})).toThrow(MutationError);
    expect(() => s.mutate.insert('email_accounts', '', { type: 'linkedin' })).toThrow(MutationError);
    s.mutate.remove('email_accounts', String(newSender.id));
    expect((await served(s)).senders.has(newSender.id)).toBe(false);
    await expectSameRows(s);
  });

  it('the warmup side effect moves the sender row too', async () => {
    sim = await startSimulator({ scale: 600, seed: 4, rateLimit: null });
    const notStarted = [...sim.expected('senders')]
      .map((e) => e.record)
      .filter((r) => r.warmup_status === 'not_started');
    expect(notStarted.length).toBeGreaterThan(0);
    await getJson(sim, '/api/email/accounts/warmup-analytics');
    const { senders } = await served(sim);
    for (const r of notStarted) expect(senders.get(r.id)?.warmup_status).toBe('warming');
    await expectSameRows(sim);
  });
});
