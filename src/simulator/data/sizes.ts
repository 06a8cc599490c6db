/** How big each stream is for a given scale (= number of leads). Documented in docs/simulator.md. */

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.ceil(v)));

export interface Sizes {
  leads: number;
  senders: number;
  emailDomains: number;
  campaigns: number;
  prospects: number;
  threads: number;
  lists: number;
  leadSearchTasks: number;
  resultsPerTask: number;
  signals: number;
  signalLeadsPerson: number;
  signalLeadsCompany: number;
  signalSearches: number;
  signalTypes: number;
  enrichmentRuns: number;
  itemsPerRun: number;
  researchPeople: number;
  signalKeywords: number;
  /** Weeks `GET /api/dashboard/analytics` returns. */
  weeks: number;
  /** Most agent chat messages one list holds. */
  messagesPerList: number;
}

export function sizesFor(scale: number): Sizes {
  const n = Math.max(1, Math.floor(scale));
  const signals = clamp(n / 2, 10, 200_000);
  return {
    leads: n,
    senders: clamp(n / 50, 3, 30),
    emailDomains: clamp(n / 200, 2, 10),
    campaigns: clamp(n / 100, 3, 50),
    prospects: clamp(n / 2, 5, 500_000),
    threads: clamp(n / 10, 4, 5000),
    lists: clamp(n / 100, 2, 20),
    leadSearchTasks: clamp(n / 12, 3, 40),
    resultsPerTask: clamp(n / 10, 5, 2500),
    signals,
    signalLeadsPerson: clamp(signals / 4, 3, 50_000),
    signalLeadsCompany: clamp(signals / 6, 2, 40_000),
    signalSearches: clamp(n / 30, 3, 200),
    signalTypes: 8,
    enrichmentRuns: clamp(n / 100, 3, 20),
    itemsPerRun: clamp(n / 10, 5, 5000),
    researchPeople: clamp(n / 20, 3, 500),
    signalKeywords: clamp(n / 4, 5, 5000),
    weeks: 12,
    messagesPerList: 8,
  };
}
