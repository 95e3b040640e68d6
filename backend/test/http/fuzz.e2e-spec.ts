import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import request from 'supertest';
import { type AuthResponse, ErrorCode } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** Fixed, so a failure is reproduced by running the suite again; bounded, so CI stays fast. */
const SEED = 20_261_130;
const RUNS_PER_ROUTE = 40;

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
}

interface Route {
  method: string;
  /** As the document writes it: `/api/admin/users/{id}`. */
  path: string;
  operation: Operation;
  body?: Type;
  query?: Type;
}

/** A JSON token written as is: numbers JSON.stringify cannot produce (1e400, 30 digits). */
class Raw {
  constructor(readonly text: string) {}
}

type Value = null | boolean | number | string | Raw | Value[] | { [key: string]: Value };

function toJsonText(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const deep = (levels: number): Value => {
  let value: Value = 1;
  for (let level = 0; level < levels; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
};

/** Values no field should ever turn into a 500. */
const hostileValue: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom<Value>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e-7,
    1e21,
    2 ** 53 + 1,
    -(2 ** 63),
    new Raw('1e400'),
    new Raw('-1e400'),
    new Raw('123456789012345678901234567890'),
    new Raw('-0'),
    '',
    ' ',
    'a\u0000b',
    '\u0000',
    '\ud800',
    'x\udfffy',
    '😀\u0000',
    "' OR 1=1 --",
    '=1+2',
    '%00',
    '1e400',
    '9223372036854775808',
    'null',
    'x'.repeat(10_000),
    [],
    {},
    [null],
    { unknown: 1 },
    { role: 'admin' },
    deep(40),
    deep(10),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/** Dates a client may well send, some of which other parsers read differently or not at all. */
const dates = [
  '2026-01-01T00:00:00Z',
  '2026-01-01',
  '2026-06-30T12:00:00+14:00',
  '9999-12-31T23:59:59.999999Z',
  '0001-01-01T00:00:00+01:00',
  '2026-W01-1',
  '2026-001',
  '2026-01',
  '2026',
  '-2026-01-01',
  '2026-01-01T00Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '0000-01-01T00:00:00Z',
  '2026-13-01',
];

interface Actors {
  adminId: string;
  userId: string;
}

/** What a field's own rules say it takes, so that many requests pass validation and reach the database. */
function plausibleValue(dto: Type, property: string, actors: Actors, depth: number): fc.Arbitrary<Value> {
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .filter((rule) => rule.propertyName === property);
  const named = (name: string) => rules.find((rule) => rule.name === name);
  const options: fc.Arbitrary<Value>[] = [];
  if (named('isUuid')) options.push(fc.constantFrom(actors.adminId, actors.userId, randomUUID()));
  const allowed = named('isIn')?.constraints[0] as Value[] | undefined;
  if (allowed) options.push(fc.constantFrom(...allowed));
  if (named('isInt')) {
    const min = named('min')?.constraints[0] as number | undefined;
    const max = named('max')?.constraints[0] as number | undefined;
    options.push(fc.integer({ min: min ?? -5, max: Math.min(max ?? 5000, 5000) }));
  }
  if (named('isBoolean')) options.push(fc.boolean());
  if (named('isEmailAddress')) options.push(fc.nat().map((n) => `fuzz${n}@example.test`));
  if (named('isIso8601') || named('isTimestamp')) options.push(fc.constantFrom(...dates));
  if (named('isDecimal') || named('isNumber')) options.push(fc.constantFrom(0, 0.0001, 1.2345, 2, 1e-7));
  if (named('matches'))
    options.push(fc.constantFrom('deepseek-chat', 'demo-chat', 'deepseek-reasoner', 'no-such-model'));
  if (rules.some((rule) => rule.type === 'nestedValidation') && depth < 2) {
    const nested = nestedType(dto, property);
    if (nested) {
      const element = bodyObject(nested, actors, depth + 1);
      options.push(named('isArray') ? fc.array(element, { minLength: 1, maxLength: 3 }) : element);
    }
  }
  if (property === 'cursor') {
    // The lists' own cursors: base64url JSON of the last row's sort key.
    options.push(
      fc.constantFrom(
        Buffer.from(JSON.stringify({ id: '1' })).toString('base64url'),
        Buffer.from(JSON.stringify({ createdAt: '2026-01-01T00:00:00.000000Z', id: randomUUID() })).toString(
          'base64url',
        ),
      ),
    );
  } else if (options.length === 0) {
    options.push(fc.constantFrom('hello', 'Explain the bill in one line.', 'cgr_0123456789abcdefghij'));
  }
  return fc.oneof(...options);
}

/** The class class-transformer builds for a nested property (`@Type(() => …)`), by asking it. */
function nestedType(dto: Type, property: string): Type | undefined {
  const built = plainToInstance(dto, { [property]: [{}] }) as Record<string, unknown>;
  const element = (built[property] as unknown[] | undefined)?.[0];
  const constructor = (element as { constructor?: Type } | undefined)?.constructor;
  return constructor === undefined || constructor === Object ? undefined : constructor;
}

function propertiesOf(dto: Type): string[] {
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((rule) => rule.propertyName);
  return [...new Set(names)];
}

function fieldValue(dto: Type, property: string, actors: Actors, depth: number): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 9, arbitrary: plausibleValue(dto, property, actors, depth) },
    { weight: 1, arbitrary: hostileValue },
  );
}

const isOptional = (dto: Type, property: string): boolean =>
  getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .some((rule) => rule.propertyName === property && rule.type === 'conditionalValidation');

/**
 * Some of the DTO's fields (a required one mostly present, an optional one half the time), each
 * plausible or hostile; now and then a field it does not know.
 */
function bodyObject(dto: Type, actors: Actors, depth = 0): fc.Arbitrary<Value> {
  const fields = propertiesOf(dto).map((property) =>
    fc.option(
      fieldValue(dto, property, actors, depth).map((value) => [property, value] as const),
      { freq: isOptional(dto, property) ? 2 : 10 },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...fields),
      seldom(fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'a\u0000'), hostileValue)),
    )
    .map(([chosen, extra]) => {
      const body: Record<string, Value> = Object.fromEntries(chosen.filter((entry) => entry !== null));
      if (extra !== null) body[extra[0]] = extra[1];
      return body;
    });
}

/**
 * Percent-encoding that also writes an unpaired surrogate (encodeURIComponent throws on one), as the
 * three bytes a lenient encoder makes of it: not UTF-8, which the server must refuse politely.
 */
function encode(text: string): string {
  return Array.from(text)
    .map((character) => {
      if (!/\p{Cs}/u.test(character)) return encodeURIComponent(character);
      const unit = character.charCodeAt(0);
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      return bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

interface Attempt {
  method: string;
  path: string;
  query: string;
  body?: string;
  headers: Record<string, string>;
}

const pathValue = (actors: Actors): fc.Arbitrary<string> =>
  fc.constantFrom(
    actors.userId,
    randomUUID(),
    'not-a-uuid',
    'deepseek-chat',
    'demo-chat',
    'a\u0000b',
    '\ud800',
    '..',
    '%',
    'x'.repeat(300),
    '9223372036854775808',
  );

type QueryPair = readonly [string, string];

/** Rarely: `arbitrary`'s value; mostly nothing. */
const seldom = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

function queryText(dto: Type | undefined, actors: Actors): fc.Arbitrary<string> {
  if (dto === undefined) return fc.constant('');
  const asText = (value: Value): string => (typeof value === 'string' ? value : toJsonText(value));
  const pairs = propertiesOf(dto).map((property) =>
    fc.option(
      fc.oneof(
        {
          weight: 8,
          arbitrary: fieldValue(dto, property, actors, 0).map((value): QueryPair[] => [[property, asText(value)]]),
        },
        // Now and then the same name twice (an array to the query parser) or as a nested key.
        {
          weight: 1,
          arbitrary: fc.constantFrom<QueryPair[]>(
            [
              [property, 'a'],
              [property, 'b'],
            ],
            [[`${property}[x]`, '1']],
          ),
        },
      ),
      { freq: 2 },
    ),
  );
  return fc.tuple(fc.tuple(...pairs), seldom(fc.constant<QueryPair[]>([['unknown', '1']]))).map(([chosen, unknown]) =>
    [...chosen, unknown]
      .flatMap((entries) => entries ?? [])
      .map(([name, value]) => `${encode(name)}=${encode(value)}`)
      .join('&'),
  );
}

const contentHeaders = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Record<string, string>>({ 'Content-Type': 'application/json' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'Content-Type': 'application/json; charset=latin1' },
      { 'Content-Type': 'application/json; charset=utf-16' },
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'bogus' },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Content-Type': 'application/json', 'Content-Encoding': 'bogus' },
      { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    ),
  },
);

const rawBodies = fc.constantFrom(
  '[]',
  'null',
  '42',
  '"text"',
  '{',
  '{"a":1,"a":2}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"x":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
  JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`k${index}`, index]))),
);

function attempts(route: Route, actors: Actors): fc.Arbitrary<Attempt> {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const body =
    route.body === undefined
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 8, arbitrary: bodyObject(route.body, actors).map(toJsonText) },
          { weight: 1, arbitrary: rawBodies },
        );
  return fc
    .record({
      pathValues: fc.tuple(...pathParameters.map(() => pathValue(actors))),
      query: queryText(route.query, actors),
      body,
      content: contentHeaders,
      idempotencyKey: seldom(fc.constantFrom('fuzz-key', 'x'.repeat(300), ' ', 'k e y')),
    })
    .map(({ pathValues, query, body: text, content, idempotencyKey }) => {
      let path = route.path;
      pathParameters.forEach((name, index) => {
        path = path.replace(`{${name}}`, encode(pathValues[index] ?? ''));
      });
      return {
        method: route.method,
        path,
        query,
        ...(text === undefined ? {} : { body: text }),
        headers: {
          ...(text === undefined ? {} : content),
          ...(idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey }),
        },
      };
    });
}

/** What is wrong with an answer, if anything: a 5xx, or an error body outside the contract. */
function problemWith(attempt: Attempt, response: request.Response): string | undefined {
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status < 400) return undefined;
  const body = response.body as Record<string, unknown>;
  if (attempt.path.startsWith('/v1/')) {
    const error = body['error'] as Record<string, unknown> | undefined;
    const openAiShaped =
      typeof error?.['message'] === 'string' &&
      typeof error['type'] === 'string' &&
      (Object.values(ErrorCode) as unknown[]).includes(error['code']) &&
      error['request_id'] === response.headers['x-request-id'];
    return openAiShaped ? undefined : `not OpenAI's error shape: ${response.text.slice(0, 200)}`;
  }
  const contractShaped =
    body['statusCode'] === response.status &&
    (Object.values(ErrorCode) as unknown[]).includes(body['code']) &&
    typeof body['message'] === 'string' &&
    body['requestId'] === response.headers['x-request-id'];
  return contractShaped ? undefined : `not the contract's error body: ${response.text.slice(0, 200)}`;
}

/** The DTO classes a handler takes as @Body() and @Query(), from Nest's own route metadata. */
function dtosOf(controller: Type, method: string): { body?: Type; query?: Type } {
  const parameterTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ??
    []) as Type[];
  const routeArguments = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const dtos: { body?: Type; query?: Type } = {};
  for (const [key, argument] of Object.entries(routeArguments)) {
    // Keys are `<RouteParamtypes>:<index>`; the enum's reverse mapping names the kind.
    const kind = RouteParamtypes[Number(key.split(':')[0])];
    const type = parameterTypes[argument.index];
    if (type === undefined || argument.data !== undefined) continue;
    if (kind === 'BODY') dtos.body = type;
    if (kind === 'QUERY') dtos.query = type;
  }
  return dtos;
}

/**
 * Every JSON route of the OpenAPI document the app serves, so a new route is fuzzed without a word
 * here, with bodies and queries built from its DTOs' own rules: wrong types, U+0000, unpaired
 * surrogates, deep nesting, huge numbers, unknown keys, other content types. Every answer must be
 * below 500 and, when an error, in the contract's shape (OpenAI's on /v1); and the books balance
 * afterwards (SPEC §3). AI calls go to demo mode, as in every test app.
 */
describe('fuzz: every route answers bad input with a contract 4xx', () => {
  let testApp: TestApp;
  let admin: AuthResponse;
  let apiKey: string;
  let actors: Actors;
  let routes: Route[];

  beforeAll(async () => {
    testApp = await createTestApp({ env: { AI_TIMEOUT_MS: '2000' } });
    admin = await registerAdmin(testApp.http, testApp.database.pool());
    const user = await registerUser(testApp.http);
    actors = { adminId: admin.user.id, userId: user.user.id };
    const created = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ name: 'fuzz' })
      .expect(201);
    apiKey = (created.body as { key: string }).key;

    const controllers = new Map<string, Type>();
    for (const module of testApp.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values())
        controllers.set(wrapper.name as string, wrapper.metatype as Type);
    }
    const document = (await request(testApp.http).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const [controllerName = '', handler = ''] = operation.operationId.split('_');
        const controller = controllers.get(controllerName);
        if (controller === undefined) throw new Error(`no controller for ${operation.operationId}`);
        return { method: method.toUpperCase(), path, operation, ...dtosOf(controller, handler) };
      }),
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  function send(route: Route, attempt: Attempt): request.Test {
    const url = attempt.query === '' ? attempt.path : `${attempt.path}?${attempt.query}`;
    const agent = request(testApp.http);
    let test: request.Test;
    switch (attempt.method) {
      case 'GET':
        test = agent.get(url);
        break;
      case 'POST':
        test = agent.post(url);
        break;
      case 'PUT':
        test = agent.put(url);
        break;
      case 'PATCH':
        test = agent.patch(url);
        break;
      case 'DELETE':
        test = agent.delete(url);
        break;
      default:
        throw new Error(`unexpected method ${attempt.method}`);
    }
    const schemes = (route.operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
    const credential = schemes.includes('login') ? admin.accessToken : schemes.includes('apiKey') ? apiKey : undefined;
    if (credential !== undefined) test = test.set('Authorization', `Bearer ${credential}`);
    test = test.set(attempt.headers);
    return attempt.body === undefined ? test : test.send(attempt.body);
  }

  it('has routes to fuzz, chats and admin routes among them', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/auth/register',
        'POST /v1/chat/completions',
        'POST /api/admin/recharge',
        'GET /api/admin/users',
      ]) as string[],
    );
    expect(routes.find((route) => route.path === '/api/admin/recharge')?.body).toBeDefined();
    expect(routes.find((route) => route.path === '/api/admin/users' && route.method === 'GET')?.query).toBeDefined();
  });

  it('answers every generated request below 500, errors in the contract shape, and keeps the books balanced', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const result = await fc.check(
        fc.asyncProperty(attempts(route, actors), async (attempt) => {
          const problem = problemWith(attempt, await send(route, attempt));
          if (problem !== undefined) throw new Error(problem);
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (result.failed) {
        problems.push(
          `${route.method} ${route.path}: ${String(result.errorInstance)}\n  ${JSON.stringify(result.counterexample).slice(0, 600)}`,
        );
      }
    }

    expect(problems).toEqual([]);
    await expectCreditInvariants(testApp.database.pool());
  }, 300_000);
});
