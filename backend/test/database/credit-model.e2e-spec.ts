import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import type { ApiKeysRepository } from '#src/api-keys/api-keys.repository.js';
import type { SpendBudget, SpendPeriod } from '#src/contract/index.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import type { CreditsRepository, Reservation } from '#src/credits/credits.repository.js';
import { UsageStatus } from '#src/usage/usage-log.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { creditInvariantViolations } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser } from '#test/support/factories.js';
import { apiKeysRepositoryOn, creditsRepositoryOn, usageEntry } from '#test/support/credits-on-pool.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const USERS = 3;
const KEYS_PER_USER = 2;
/** The models a chat may name: flash, an alias of flash (upstream_model = deepseek-flash), and pro. */
const MODELS = ['deepseek-flash', 'deepseek-chat', 'deepseek-v4-pro'] as const;
/** A key's model list, when it has one: flash (so the alias too), or the alias alone. */
const MODEL_LISTS = [['deepseek-flash'], ['deepseek-chat']] as const;

type HoldStatus = 'open' | 'settled' | 'released' | 'expired';

interface ModelHold {
  id: string;
  user: number;
  /** Index into the user's keys; null for a login (JWT). */
  key: number | null;
  amount: number;
  status: HoldStatus;
  charged: number;
  createdAt: Date;
}

interface ModelKey {
  id: string;
  budget: SpendBudget | null;
  models: readonly string[] | null;
}

/** What the books should say: balances, every hold and what it came to, each key's and user's limits. */
interface Model {
  balances: number[];
  holds: ModelHold[];
  keys: ModelKey[][];
  spendLimits: (SpendBudget | null)[];
}

interface Real {
  owner: Pool;
  runtime: Pool;
  /** The repositories the chat service and the key routes use, on the runtime role's pool. */
  credits: CreditsRepository;
  apiKeys: ApiKeysRepository;
  users: string[];
  adminId: string;
}

const open = (model: Model): ModelHold[] => model.holds.filter((hold) => hold.status === 'open');
const closed = (model: Model): ModelHold[] => model.holds.filter((hold) => hold.status !== 'open');

const available = (model: Model, user: number): number =>
  (model.balances[user] ?? 0) -
  open(model)
    .filter((hold) => hold.user === user)
    .reduce((sum, hold) => sum + hold.amount, 0);

/** The period of `at` as the database bounds it (spend_period_bounds, tested on its own in spend-controls). */
async function periodStart(real: Real, period: SpendPeriod): Promise<Date> {
  const { rows } = await real.owner.query<{ period_start: Date }>(
    'SELECT period_start FROM spend_period_bounds($1::text, now())',
    [period],
  );
  return rows[0]!.period_start;
}

/** The model's spend of a period: open holds at their amount, settled ones at their charge, the rest at 0. */
function spendOf(holds: ModelHold[], since: Date): number {
  return holds
    .filter((hold) => hold.createdAt >= since)
    .reduce(
      (sum, hold) => sum + (hold.status === 'open' ? hold.amount : hold.status === 'settled' ? hold.charged : 0),
      0,
    );
}

/** After every step: the database agrees with the model (balances, period spends), and SPEC §3's invariants hold. */
async function checkBooks(model: Model, real: Real): Promise<void> {
  for (const [index, userId] of real.users.entries()) {
    const held = open(model)
      .filter((hold) => hold.user === index)
      .reduce((sum, hold) => sum + hold.amount, 0);
    expect(await accountOf(real.owner, userId)).toEqual({ balance: model.balances[index], held });
    const limit = model.spendLimits[index];
    if (limit) {
      const since = await periodStart(real, limit.period);
      const { rows } = await real.owner.query<{ spent: string }>(
        `SELECT user_period_spend($1::uuid, b.period_start, b.period_end) AS spent FROM spend_period_bounds($2::text, now()) b`,
        [userId, limit.period],
      );
      expect(Number(rows[0]?.spent)).toBe(
        spendOf(
          model.holds.filter((hold) => hold.user === index),
          since,
        ),
      );
    }
  }
  expect(await creditInvariantViolations(real.owner)).toEqual([]);
}

/** What reserve must answer, by the order of docs/limits.md: model list, key budget, user limit, credits. */
async function expectedReservation(
  model: Model,
  real: Real,
  step: { user: number; key: number | null; amount: number; chatModel: string },
): Promise<Reservation['kind'] | { scope: 'api_key' | 'user'; budget: SpendBudget; spent: number }> {
  const key = step.key === null ? undefined : model.keys[step.user]?.[step.key];
  if (key?.models) {
    const admits =
      key.models.includes(step.chatModel) ||
      (step.chatModel === 'deepseek-chat' && key.models.includes('deepseek-flash'));
    if (!admits) return 'model_not_allowed';
  }
  if (key?.budget) {
    const spent = spendOf(
      model.holds.filter((hold) => hold.user === step.user && hold.key === step.key),
      await periodStart(real, key.budget.period),
    );
    if (spent + step.amount > key.budget.credits) return { scope: 'api_key', budget: key.budget, spent };
  }
  const limit = model.spendLimits[step.user];
  if (limit) {
    const spent = spendOf(
      model.holds.filter((hold) => hold.user === step.user),
      await periodStart(real, limit.period),
    );
    if (spent + step.amount > limit.credits) return { scope: 'user', budget: limit, spent };
  }
  // One process, one step at a time: a short balance is never a lost race here.
  return available(model, step.user) >= step.amount ? 'reserved' : 'insufficient';
}

class Reserve implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly key: number | null,
    readonly amount: number,
    readonly chatModel: string,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const expected = await expectedReservation(model, real, this);
    const keyId = this.key === null ? null : (model.keys[this.user]?.[this.key]?.id ?? null);
    const reservation = await real.credits.reserve({
      userId: real.users[this.user] ?? '',
      amount: this.amount,
      ttlMs: 60_000,
      apiKeyId: keyId,
      model: this.chatModel,
    });
    if (typeof expected === 'object') {
      expect(reservation).toEqual({
        kind: 'budget_exceeded',
        limit: { ...expected, resetsAt: expect.any(Date) as Date },
      });
    } else {
      expect(reservation.kind).toBe(expected);
    }
    if (reservation.kind === 'reserved') {
      const { rows } = await real.owner.query<{ created_at: Date }>(
        'SELECT created_at FROM credit_holds WHERE id = $1::uuid',
        [reservation.holdId],
      );
      model.holds.push({
        id: reservation.holdId,
        user: this.user,
        key: this.key,
        amount: this.amount,
        status: 'open',
        charged: 0,
        createdAt: rows[0]!.created_at,
      });
    }
    await checkBooks(model, real);
  }
  toString = (): string => `reserve(u${this.user}, k${this.key ?? '-'}, ${this.amount}, ${this.chatModel})`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly charge: number,
  ) {}
  check = (model: Readonly<Model>): boolean => open(model).length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const candidates = open(model);
    const hold = candidates[this.pick % candidates.length]!;
    const settled = await real.credits.settle(
      hold.id,
      this.charge,
      'AI request',
      usageEntry(real.users[hold.user] ?? ''),
    );
    const charged = Math.min(this.charge, hold.amount);
    model.balances[hold.user] = (model.balances[hold.user] ?? 0) - charged;
    Object.assign(hold, { status: 'settled', charged });
    expect(settled).toMatchObject({ charged, available: available(model, hold.user) });
    await checkBooks(model, real);
  }
  toString = (): string => `settle(#${this.pick}, ${this.charge})`;
}

class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => open(model).length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const candidates = open(model);
    const hold = candidates[this.pick % candidates.length]!;
    await real.credits.release(hold.id, usageEntry(real.users[hold.user] ?? '', UsageStatus.ProviderError));
    hold.status = 'released';
    await checkBooks(model, real);
  }
  toString = (): string => `release(#${this.pick})`;
}

class Expire implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => open(model).length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const candidates = open(model);
    const hold = candidates[this.pick % candidates.length]!;
    // The process that made this hold died, and its time ran out.
    await real.owner.query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
      hold.id,
    ]);
    expect(await real.credits.expireHolds(1000)).toBe(1);
    hold.status = 'expired';
    await checkBooks(model, real);
  }
  toString = (): string => `expire(#${this.pick})`;
}

class Recharge implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly amount: number,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await real.credits.addCredits({
      adminToken: accessTokenFor(real.adminId),
      userId: real.users[this.user] ?? '',
      amount: this.amount,
      reason: 'top-up',
      idempotencyKey: null,
    });
    model.balances[this.user] = (model.balances[this.user] ?? 0) + this.amount;
    await checkBooks(model, real);
  }
  toString = (): string => `recharge(u${this.user}, ${this.amount})`;
}

/**
 * A settle of a hold already closed: a retry of a settle whose commit went unheard answers that
 * settlement again; a late settle of a released or expired hold (a slow request after the sweep)
 * answers null. Either way nothing moves.
 */
class SettleClosed implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => closed(model).length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const candidates = closed(model);
    const hold = candidates[this.pick % candidates.length]!;
    const settled = await real.credits.settle(hold.id, 1, 'AI request', usageEntry(real.users[hold.user] ?? ''));
    if (hold.status === 'settled') expect(settled).toMatchObject({ charged: hold.charged });
    else expect(settled).toBeNull();
    await checkBooks(model, real);
  }
  toString = (): string => `settleClosed(#${this.pick})`;
}

/** The key's owner changes its budget (update_api_key, as PATCH /api/keys/:id does); null removes it. */
class SetKeyBudget implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly key: number,
    readonly budget: SpendBudget | null,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const key = model.keys[this.user]![this.key]!;
    const updated = await real.apiKeys.update(real.users[this.user] ?? '', key.id, { budget: this.budget });
    expect(updated?.budget).toEqual(this.budget);
    key.budget = this.budget;
    await checkBooks(model, real);
  }
  toString = (): string => `setKeyBudget(u${this.user}, k${this.key}, ${JSON.stringify(this.budget)})`;
}

/** An admin changes the user's spend limit (admin_set_user_spend_limit, as PATCH /api/admin/users/:id does). */
class SetSpendLimit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly limit: SpendBudget | null,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await real.runtime.query(
      'SELECT * FROM admin_set_user_spend_limit($1::text, $2::uuid, $3::bigint, $4::text, NULL)',
      [accessTokenFor(real.adminId), real.users[this.user], this.limit?.credits ?? null, this.limit?.period ?? null],
    );
    model.spendLimits[this.user] = this.limit;
    await checkBooks(model, real);
  }
  toString = (): string => `setSpendLimit(u${this.user}, ${JSON.stringify(this.limit)})`;
}

describe('the billing steps a chat calls, under random interleavings (model-based, fast-check)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;
  let credits: CreditsRepository;
  let apiKeys: ApiKeysRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
    credits = creditsRepositoryOn(runtime);
    apiKeys = apiKeysRepositoryOn(runtime);
  });

  afterAll(async () => {
    await database.drop();
  });

  const user = fc.integer({ min: 0, max: USERS - 1 });
  const keyIndex = fc.integer({ min: 0, max: KEYS_PER_USER - 1 });
  const budget = fc.option(
    fc.record({
      credits: fc.integer({ min: 1, max: 2000 }),
      period: fc.constantFrom<SpendPeriod>('day', 'week', 'month'),
    }),
    { nil: null },
  );
  const keySetup = fc.record({ budget, models: fc.option(fc.constantFrom(...MODEL_LISTS), { nil: null }) });

  it('keeps the books, the periods’ spend and every limit equal to the model, and every invariant true, after every step', async () => {
    const commands = fc.commands(
      [
        fc
          .tuple(user, fc.option(keyIndex, { nil: null }), fc.integer({ min: 1, max: 700 }), fc.constantFrom(...MODELS))
          .map(([u, k, amount, chatModel]) => new Reserve(u, k, amount, chatModel)),
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 800 })).map(([pick, charge]) => new Settle(pick, charge)),
        fc.nat().map((pick) => new Release(pick)),
        fc.nat().map((pick) => new Expire(pick)),
        fc.tuple(user, fc.integer({ min: 1, max: 1000 })).map(([u, amount]) => new Recharge(u, amount)),
        fc.nat().map((pick) => new SettleClosed(pick)),
        fc.tuple(user, keyIndex, budget).map(([u, k, b]) => new SetKeyBudget(u, k, b)),
        fc.tuple(user, budget).map(([u, b]) => new SetSpendLimit(u, b)),
      ],
      { maxCommands: 40 },
    );
    const setup = fc.record({
      keys: fc.array(fc.array(keySetup, { minLength: KEYS_PER_USER, maxLength: KEYS_PER_USER }), {
        minLength: USERS,
        maxLength: USERS,
      }),
      spendLimits: fc.array(budget, { minLength: USERS, maxLength: USERS }),
    });

    await fc.assert(
      fc.asyncProperty(setup, commands, async (initial, steps) => {
        // Fresh users and keys per run, so one run's books do not depend on another's.
        const users = await Promise.all(Array.from({ length: USERS }, () => newUser(runtime)));
        const admin = await newAdmin(owner);
        const keys: ModelKey[][] = [];
        for (const [index, userKeys] of initial.keys.entries()) {
          keys.push(
            await Promise.all(
              userKeys.map(async (limits) => {
                const record = await apiKeys.insert({
                  userId: users[index]!.id,
                  name: 'model key',
                  prefix: 'cg_live_test',
                  secretHash: randomBytes(32),
                  limits: { budget: limits.budget, models: limits.models && [...limits.models] },
                });
                return { id: record.id, budget: limits.budget, models: limits.models };
              }),
            ),
          );
        }
        for (const [index, limit] of initial.spendLimits.entries()) {
          await owner.query(
            'UPDATE users SET spend_limit_credits = $2::bigint, spend_limit_period = $3::text WHERE id = $1::uuid',
            [users[index]!.id, limit?.credits ?? null, limit?.period ?? null],
          );
        }
        const model: Model = { balances: users.map(() => 1000), holds: [], keys, spendLimits: initial.spendLimits };
        await fc.asyncModelRun(
          () => ({
            model,
            real: { owner, runtime, credits, apiKeys, users: users.map((u) => u.id), adminId: admin.id },
          }),
          steps,
        );
      }),
      { numRuns: 40 },
    );
  });
});
