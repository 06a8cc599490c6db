/** Value pools for realistic records (with non-ASCII names on purpose). */

export const FIRST_NAMES = [
  'Ana',
  'José',
  'Zoë',
  'Łukasz',
  'Åsa',
  'Søren',
  'Renée',
  'Chloé',
  'Mika',
  'Priya',
  'Oluwaseun',
  'Björn',
  'Małgorzata',
  'Hiroshi',
  '芳',
  'Jürgen',
  'Siobhán',
  'Thảo',
  'Amélie',
  'Noah',
  'Emma',
  'Liam',
  'Olivia',
  'Mateo',
  'Sofía',
  'Yusuf',
  'Fatima',
  'Dmitri',
  'Ingrid',
  'Kwame',
  'Nadia',
  'Tomás',
];

export const LAST_NAMES = [
  'García',
  'Müller',
  'Nguyễn',
  'Dvořák',
  "O'Brien",
  'Kowalski',
  'Johansson',
  'Smith',
  'Okafor',
  'Tanaka',
  '王',
  'Rossi',
  'Fernández',
  'Schäfer',
  'Lefèvre',
  'Ivanova',
  'Patel',
  'Haugen',
  'Brown',
  'Kim',
  'Silva',
  'Ødegaard',
  'Nakamura',
  'Moreau',
  'Novák',
  'Wójcik',
  'Andersen',
  'Costa',
];

export const COMPANIES = [
  'Acme Analytics',
  'Nordlicht GmbH',
  'Café Systems',
  'Zenith Labs',
  'Blue Fjord AS',
  'Kumo株式会社',
  'Orbital Freight',
  'Pax & Co',
  'Verde Energía',
  'Quanta Health',
  'Lumen Robotics',
  'Helix Bio',
  'Brightwave',
  'Crème Data',
  'Atlas Payroll',
  'Sierra Cloud',
  'Polaris Security',
  'Mosaic HR',
  'Tidal Logistics',
  'Forge Manufacturing',
  'Koala Learning',
  'Ember Foods',
  'Nimbus AI',
  'Granite Legal',
];

export const TITLES = [
  'VP of Sales',
  'Head of Growth',
  'CTO',
  'Founder & CEO',
  'Director of Marketing',
  'RevOps Manager',
  'Account Executive',
  'SDR Team Lead',
  'Chief Revenue Officer',
  'Head of Partnerships',
  'Engineering Manager',
  'Procurement Lead',
  'Data Scientist',
  'Customer Success Director',
];

export const INDUSTRIES = [
  'Software',
  'Logistics',
  'Healthcare',
  'Fintech',
  'Manufacturing',
  'Education',
  'Retail',
  'Energy',
];

export const CITIES: readonly [string, string | null, string][] = [
  ['Berlin', null, 'Germany'],
  ['São Paulo', 'SP', 'Brazil'],
  ['Kraków', null, 'Poland'],
  ['Austin', 'TX', 'United States'],
  ['Zürich', null, 'Switzerland'],
  ['Tokyo', null, 'Japan'],
  ['Montréal', 'QC', 'Canada'],
  ['Oslo', null, 'Norway'],
  ['Lagos', null, 'Nigeria'],
  ['London', null, 'United Kingdom'],
  ['San Francisco', 'CA', 'United States'],
  ['Málaga', null, 'Spain'],
];

export const SIGNAL_TYPES = [
  ['hiring', 'Hiring', 'Company is hiring for roles you sell to'],
  ['funding', 'Funding round', 'Company raised money'],
  ['job_change', 'Job change', 'A champion changed jobs'],
  ['leadership', 'New leadership', 'New executive joined'],
  ['expansion', 'Expansion', 'Opened a new office or market'],
  ['tech_adoption', 'Tech adoption', 'Adopted a technology you integrate with'],
  ['competitor_mention', 'Competitor mention', 'Mentioned a competitor publicly'],
  ['keyword_ai', 'Keyword: AI agents', 'Keyword match on AI agents'],
] as const;

export const SIGNAL_SOURCES = [
  'news',
  'reddit',
  'hacker_news',
  'x_twitter',
  'linkedin_posts',
  'linkedin_jobs',
  'g2_capterra',
];

export const ENRICHMENTS = [
  ['email-lookup', 'Email lookup', 'person', 'EMAIL_LOOKUP'],
  ['phone-lookup', 'Phone lookup', 'person', 'PHONE_LOOKUP'],
  ['linkedin-profile', 'LinkedIn profile', 'person', 'LINKEDIN_PROFILE'],
  ['linkedin-posts', 'LinkedIn posts', 'person', 'LINKEDIN_POSTS'],
  ['company-news', 'Company news', 'company', 'COMPANY_NEWS'],
  ['person-news', 'Person news', 'person', 'PERSON_NEWS'],
  ['hiring-status', 'Hiring status', 'company', 'HIRING_STATUS'],
  ['website', 'Website enrichment', 'company', 'WEBSITE_ENRICHMENT'],
  ['site-crawl', 'Site crawl', 'company', 'SITE_CRAWL_ENRICHMENT'],
  ['custom-ai', 'Custom AI column', 'person', 'CUSTOM_ENRICHMENT_AI'],
] as const;

const slugs = new Map<string, string>();

/** ASCII slug of a name (memoized: generators call it for the same pool values over and over). */
export function slug(s: string): string {
  let out = slugs.get(s);
  if (out === undefined) {
    out = makeSlug(s);
    if (slugs.size < 10_000) slugs.set(s, out);
  }
  return out;
}

function makeSlug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}
