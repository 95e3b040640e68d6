import fc from 'fast-check';
import type { Pool } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { creditInvariantViolations } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser } from '#test/support/factories.js';
import { reserveHold, settleWithUsage } from '#test/support/sql-billing.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const USERS = 3;

/** What the books should say: each user's balance, and the holds that are open. */
interface Model {
  balances: number[];
  open: { id: string; user: number; amount: number }[];
  closed: string[];
}

interface Real {
  owner: Pool;
  runtime: Pool;
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
    const hold = await reserveHold(real.runtime, real.users[this.user] ?? '', this.amount);
    if (available(model, this.user) >= this.amount) {
      expect(hold).not.toBeNull();
      model.open.push({ id: hold ?? '', user: this.user, amount: this.amount });
    } else {
      expect(hold).toBeNull();
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
    const settled = await settleWithUsage(real.runtime, hold.id, this.charge);
    const charged = Math.min(this.charge, hold.amount);
    expect(Number(settled.charged)).toBe(charged);
    model.balances[hold.user] = (model.balances[hold.user] ?? 0) - charged;
    model.closed.push(hold.id);
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
    const { rows } = await real.runtime.query<{ released: boolean }>('SELECT release_hold($1::uuid) AS released', [
      hold.id,
    ]);
    expect(rows[0]?.released).toBe(true);
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
    const { rows } = await real.runtime.query<{ expired: number }>('SELECT expire_holds() AS expired');
    expect(rows[0]?.expired).toBe(1);
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
    await real.runtime.query(`SELECT * FROM admin_add_credits($1::uuid, $2::uuid, $3::bigint, 'top-up')`, [
      real.adminId,
      real.users[this.user],
      this.amount,
    ]);
    model.balances[this.user] = (model.balances[this.user] ?? 0) + this.amount;
    await checkBooks(model, real);
  }
  toString = (): string => `recharge(u${this.user}, ${this.amount})`;
}

/** A late settle of a hold already closed (a slow request after the sweep): refused, nothing moves. */
class SettleClosed implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>): boolean => model.closed.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const holdId = model.closed[this.pick % model.closed.length] ?? '';
    await expect(settleWithUsage(real.runtime, holdId, 1)).rejects.toMatchObject({ code: SqlState.HoldNotOpen });
    await checkBooks(model, real);
  }
  toString = (): string => `settleClosed(#${this.pick})`;
}

describe('credit functions under random interleavings (model-based, fast-check)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
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
        const model: Model = { balances: users.map(() => 1000), open: [], closed: [] };
        await fc.asyncModelRun(
          () => ({ model, real: { owner, runtime, users: users.map((u) => u.id), adminId: admin.id } }),
          steps,
        );
      }),
      { numRuns: 40 },
    );
  });
});
