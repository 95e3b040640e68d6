import fc from 'fast-check';
import type { Pool } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import type { CreditsRepository } from '#src/credits/credits.repository.js';
import { UsageStatus } from '#src/usage/usage-log.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { creditInvariantViolations } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser } from '#test/support/factories.js';
import { creditsRepositoryOn, usageEntry } from '#test/support/credits-on-pool.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const USERS = 3;

/** What the books should say: each user's balance, and the holds that are open. */
interface Model {
  balances: number[];
  open: { id: string; user: number; amount: number }[];
  closed: string[];
  /** What each settled hold charged: a retried settle must answer the same. */
  settled: Map<string, number>;
}

interface Real {
  owner: Pool;
  runtime: Pool;
  /** The repository the chat service bills through, on the runtime role's pool. */
  credits: CreditsRepository;
  users: string[];
  adminId: string;
}

const available = (model: Model, user: number): number =>
  (model.balances[user] ?? 0) -
  model.open.filter((hold) => hold.user === user).reduce((sum, hold) => sum + hold.amount, 0);

/** After every step: the database agrees with the model, and SPEC §3's invariants hold. */
async function checkBooks(model: Model, real: Real): Promise<void> {
  for (const [index, userId] of real.users.entries()) {
    const held = model.open.filter((hold) => hold.user === index).reduce((sum, hold) => sum + hold.amount, 0);
    expect(await accountOf(real.owner, userId)).toEqual({ balance: model.balances[index], held });
  }
  expect(await creditInvariantViolations(real.owner)).toEqual([]);
}

class Reserve implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly amount: number,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const reservation = await real.credits.reserve({
      userId: real.users[this.user] ?? '',
      amount: this.amount,
      ttlMs: 60_000,
      apiKeyId: null,
    });
    if (available(model, this.user) >= this.amount) {
      expect(reservation.kind).toBe('reserved');
      if (reservation.kind === 'reserved')
        model.open.push({ id: reservation.holdId, user: this.user, amount: this.amount });
    } else {
      // One process, one step at a time: a short balance is never a lost race here.
      expect(reservation).toEqual({ kind: 'insufficient' });
    }
    await checkBooks(model, real);
  }
  toString = (): string => `reserve(u${this.user}, ${this.amount})`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly charge: number,
  ) {}
  check = (model: Readonly<Model>): boolean => model.open.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const [hold] = model.open.splice(this.pick % model.open.length, 1);
    if (!hold) throw new Error('no open hold');
    const settled = await real.credits.settle(
      hold.id,
      this.charge,
      'AI request',
      usageEntry(real.users[hold.user] ?? ''),
    );
    const charged = Math.min(this.charge, hold.amount);
    model.balances[hold.user] = (model.balances[hold.user] ?? 0) - charged;
    expect(settled).toMatchObject({ charged, available: available(model, hold.user) });
    model.closed.push(hold.id);
    model.settled.set(hold.id, charged);
    await checkBooks(model, real);
  }
  toString = (): string => `settle(#${this.pick}, ${this.charge})`;
}

class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => model.open.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const [hold] = model.open.splice(this.pick % model.open.length, 1);
    if (!hold) throw new Error('no open hold');
    await real.credits.release(hold.id, usageEntry(real.users[hold.user] ?? '', UsageStatus.ProviderError));
    model.closed.push(hold.id);
    await checkBooks(model, real);
  }
  toString = (): string => `release(#${this.pick})`;
}

class Expire implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => model.open.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const [hold] = model.open.splice(this.pick % model.open.length, 1);
    if (!hold) throw new Error('no open hold');
    // The process that made this hold died, and its time ran out.
    await real.owner.query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
      hold.id,
    ]);
    expect(await real.credits.expireHolds(1000)).toBe(1);
    model.closed.push(hold.id);
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
  check = (model: Readonly<Model>): boolean => model.closed.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const holdId = model.closed[this.pick % model.closed.length] ?? '';
    const userId = (
      await real.owner.query<{ user_id: string }>('SELECT user_id FROM credit_holds WHERE id = $1::uuid', [holdId])
    ).rows[0]?.user_id;
    const settled = await real.credits.settle(holdId, 1, 'AI request', usageEntry(userId ?? ''));
    const charged = model.settled.get(holdId);
    if (charged === undefined) expect(settled).toBeNull();
    else expect(settled).toMatchObject({ charged });
    await checkBooks(model, real);
  }
  toString = (): string => `settleClosed(#${this.pick})`;
}

describe('the billing steps a chat calls, under random interleavings (model-based, fast-check)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;
  let credits: CreditsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
    credits = creditsRepositoryOn(runtime);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('keeps the books equal to the model and every invariant true after every step', async () => {
    const user = fc.integer({ min: 0, max: USERS - 1 });
    const commands = fc.commands(
      [
        fc.tuple(user, fc.integer({ min: 1, max: 700 })).map(([u, amount]) => new Reserve(u, amount)),
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 800 })).map(([pick, charge]) => new Settle(pick, charge)),
        fc.nat().map((pick) => new Release(pick)),
        fc.nat().map((pick) => new Expire(pick)),
        fc.tuple(user, fc.integer({ min: 1, max: 1000 })).map(([u, amount]) => new Recharge(u, amount)),
        fc.nat().map((pick) => new SettleClosed(pick)),
      ],
      { maxCommands: 40 },
    );

    await fc.assert(
      fc.asyncProperty(commands, async (steps) => {
        // Fresh users per run, so one run's books do not depend on another's.
        const users = await Promise.all(Array.from({ length: USERS }, () => newUser(runtime)));
        const admin = await newAdmin(owner);
        const model: Model = { balances: users.map(() => 1000), open: [], closed: [], settled: new Map() };
        await fc.asyncModelRun(
          () => ({ model, real: { owner, runtime, credits, users: users.map((u) => u.id), adminId: admin.id } }),
          steps,
        );
      }),
      { numRuns: 40 },
    );
  });
});
