import type { Column } from '@iap/tabular';
import { penceToPounds } from '@iap/tabular';

/** Who publishes the grants, and how they are identified (see the 360Giving identifiers guidance). */
export interface OpenDataSettings {
  /** The publisher's registered 360Giving prefix (`360G-` and its own part): every grant id begins with it. */
  readonly grantIdPrefix: string;
  /** The funder's organisation identifier in an org-id.guide scheme (the department's `GB-GOR-D4`). */
  readonly funderId: string;
  readonly funderName: string;
  /** Whether the prefix is illustrative (the default, not registered with 360Giving), said in the package. */
  readonly illustrative: boolean;
}

/**
 * The department, the programme's funder, in org-id.guide's GB-GOR scheme (the UK Government Organisation
 * Register): key D4, "Ministry of Housing, Communities and Local Government", the register's entry 990 of
 * 2018-01-09 (when DCLG became MHCLG). The register was retired on 15 March 2021 and its keys stay the scheme's
 * identifiers (org-id.guide/list/GB-GOR); 360Giving publishers name departments this way (the Government Grants
 * data gives DCMS as GB-GOR-D5, its key in the same register). The department's 2021-24 name (DLUHC) was never in
 * the register, and it is the same department again as MHCLG since 2024.
 */
export const DEPARTMENT_ORG_ID = 'GB-GOR-D4';
export const DEPARTMENT_NAME = 'Ministry of Housing, Communities and Local Government';

const PREFIX = /^360G-[A-Za-z0-9][A-Za-z0-9_-]*$/;
const ORG_ID = /^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$|^360G-[A-Za-z0-9_-]+$/;

/**
 * The publisher's settings from the environment: OPEN_DATA_360G_PREFIX, OPEN_DATA_FUNDER_ID, OPEN_DATA_FUNDER_NAME.
 * The funder defaults to the department (DEPARTMENT_ORG_ID); the prefix is the one 360Giving gives the publisher,
 * and unset it is an illustrative one that the data says is not registered.
 */
export function openDataSettings(env: Readonly<Record<string, string | undefined>>): OpenDataSettings {
  const grantIdPrefix = env.OPEN_DATA_360G_PREFIX?.trim() || '360G-iap-illustrative';
  if (!PREFIX.test(grantIdPrefix))
    throw new Error(
      `OPEN_DATA_360G_PREFIX must be a 360Giving prefix: 360G- then letters, digits or hyphens (it is "${grantIdPrefix}")`,
    );
  const funderId = env.OPEN_DATA_FUNDER_ID?.trim() || DEPARTMENT_ORG_ID;
  if (!ORG_ID.test(funderId))
    throw new Error(
      `OPEN_DATA_FUNDER_ID must be an org-id.guide identifier, scheme then id (e.g. GB-GOR-…), or a 360G- one (it is "${funderId}")`,
    );
  return {
    grantIdPrefix,
    funderId,
    funderName: env.OPEN_DATA_FUNDER_NAME?.trim() || DEPARTMENT_NAME,
    illustrative: !env.OPEN_DATA_360G_PREFIX?.trim(),
  };
}

/**
 * English councils' identifiers in the Local Authorities for England register (org-id.guide scheme GB-LAE: the
 * scheme 360Giving publishers use for English councils, as in GB-LAE-EXE for Exeter City Council; GB-LAS is
 * Scotland's and GB-PLA Wales's principal councils), by ONS code: the five pilots and the demo's other councils.
 * Each pair checked on 2026-12-07 against the GOV.UK registers local-authority-eng and statistical-geography-*-eng
 * (their last snapshot, 2020, as kept in digital-land/organisation-dataset collection/register/).
 */
export const LOCAL_AUTHORITY_ENGLAND: Readonly<Record<string, string>> = {
  E06000008: 'BBD', // Blackburn with Darwen
  E08000032: 'BRD', // Bradford
  E06000031: 'PTE', // Peterborough
  E08000030: 'WLL', // Walsall
  E09000031: 'WFT', // Waltham Forest
  E06000016: 'LCE', // Leicester
  E08000034: 'KIR', // Kirklees
  E06000032: 'LUT', // Luton
  E08000004: 'OLD', // Oldham
  E09000025: 'NWM', // Newham
};

/** A council's organisation id: GB-LAE-<code> when the register's code is known, else one under the prefix. */
export function councilOrgId(areaCode: string, settings: OpenDataSettings): string {
  const lae = LOCAL_AUTHORITY_ENGLAND[areaCode];
  return lae ? `GB-LAE-${lae}` : `${settings.grantIdPrefix}-council-${areaCode}`;
}

/** The 360Giving geographic code type of an ONS local authority code (its codelist geoCodeType), by entity. */
const GEO_CODE_TYPES: Readonly<Record<string, string>> = {
  E06: 'UA',
  E07: 'NMD',
  E08: 'MD',
  E09: 'LONB',
  W06: 'UA',
};

/** A grant allocation as the API's `grantAwards` answers it. */
export interface GrantAward {
  readonly areaCode: string;
  readonly areaName: string;
  readonly year: string;
  readonly fundingStream: string;
  readonly amountPence: number;
  readonly awardedAt: string;
}

/** The 360Giving grant of an allocation (the standard's JSON form). */
export interface Grant {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly currency: 'GBP';
  readonly amountAwarded: number;
  readonly awardDate: string;
  readonly plannedDates: { startDate: string; endDate: string; duration: number }[];
  readonly recipientOrganization: { id: string; name: string }[];
  readonly fundingOrganization: { id: string; name: string }[];
  readonly grantProgramme: { code: string; title: string }[];
  readonly beneficiaryLocation: { name: string; geoCode: string; geoCodeType: string | null }[];
}

/** The financial year `2019-20` as its first and last days. */
function yearDates(year: string): { startDate: string; endDate: string } {
  const start = Number(year.slice(0, 4));
  return { startDate: `${start}-04-01`, endDate: `${start + 1}-03-31` };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'grant'
  );
}

/** One 360Giving grant per allocation (area, financial year, funding stream). */
export function grantOf(award: GrantAward, settings: OpenDataSettings): Grant {
  return {
    id: `${settings.grantIdPrefix}-${award.areaCode}-${award.year}-${slug(award.fundingStream)}`,
    title: `Integration Area Programme ${award.year}: ${award.areaName} (${award.fundingStream})`,
    description: `Grant to ${award.areaName} for its integration area's actions in the financial year ${award.year}, from the ${award.fundingStream} funding stream of the Integration Area Programme.`,
    currency: 'GBP',
    amountAwarded: penceToPounds(award.amountPence)!,
    awardDate: award.awardedAt.slice(0, 10),
    plannedDates: [{ ...yearDates(award.year), duration: 12 }],
    recipientOrganization: [{ id: councilOrgId(award.areaCode, settings), name: award.areaName }],
    fundingOrganization: [{ id: settings.funderId, name: settings.funderName }],
    grantProgramme: [{ code: 'IAP', title: 'Integration Area Programme' }],
    beneficiaryLocation: [
      {
        name: award.areaName,
        geoCode: award.areaCode,
        geoCodeType: GEO_CODE_TYPES[award.areaCode.slice(0, 3)] ?? null,
      },
    ],
  };
}

/** The 360Giving data package of every allocation. */
export function grantPackage(
  awards: readonly GrantAward[],
  settings: OpenDataSettings,
  issued: Date,
): Record<string, unknown> {
  return {
    version: '1.4',
    title: 'Integration Area Programme grants',
    description:
      'Grants of the Integration Area Programme to its pilot councils, one per financial year and funding stream.' +
      (settings.illustrative
        ? ' Illustrative: the grant identifier prefix is not registered with 360Giving.'
        : ''),
    issued: issued.toISOString(),
    license: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    grants: awards.map((a) => grantOf(a, settings)),
  };
}

/** The standard's flat (spreadsheet) columns: the titles its schema gives, joined with ':' for nested fields. */
export const GRANT_COLUMNS: readonly Column<Grant>[] = [
  { header: 'Identifier', value: (g) => g.id },
  { header: 'Title', value: (g) => g.title },
  { header: 'Description', value: (g) => g.description },
  { header: 'Currency', value: (g) => g.currency },
  { header: 'Amount Awarded', value: (g) => g.amountAwarded },
  { header: 'Award Date', value: (g) => g.awardDate },
  { header: 'Planned Dates:Start Date', value: (g) => g.plannedDates[0]?.startDate },
  { header: 'Planned Dates:End Date', value: (g) => g.plannedDates[0]?.endDate },
  { header: 'Planned Dates:Duration (months)', value: (g) => g.plannedDates[0]?.duration },
  { header: 'Recipient Org:Identifier', value: (g) => g.recipientOrganization[0]?.id },
  { header: 'Recipient Org:Name', value: (g) => g.recipientOrganization[0]?.name },
  { header: 'Funding Org:Identifier', value: (g) => g.fundingOrganization[0]?.id },
  { header: 'Funding Org:Name', value: (g) => g.fundingOrganization[0]?.name },
  { header: 'Grant Programme:Code', value: (g) => g.grantProgramme[0]?.code },
  { header: 'Grant Programme:Title', value: (g) => g.grantProgramme[0]?.title },
  { header: 'Beneficiary Location:Name', value: (g) => g.beneficiaryLocation[0]?.name },
  { header: 'Beneficiary Location:Geographic Code', value: (g) => g.beneficiaryLocation[0]?.geoCode },
  {
    header: 'Beneficiary Location:Geographic Code Type',
    value: (g) => g.beneficiaryLocation[0]?.geoCodeType,
  },
];
