import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';

/** What the derived password is an HMAC of; changing it changes every derived password. */
const DERIVATION_MESSAGE = 'creditgate_app runtime login';

/**
 * Predefined roles whose members can read or write the server's files or run programs on it:
 * PostgreSQL's documentation counts them as equivalent to a superuser.
 */
const SUPERUSER_EQUIVALENT_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'];

/**
 * The password `creditgate_app` logs in with: `DATABASE_APP_PASSWORD` when set, else
 * HMAC-SHA256(key = the owner's password, "creditgate_app runtime login"), base64url. Derived
 * rather than random so that every instance, and every database of one cluster (roles are
 * cluster-wide), arrives at the same password without sharing any state; it is as secret as the
 * owner's password and reveals nothing about it. An owner URL without a password (trust or peer
 * authentication, a .pgpass file) leaves nothing secret to derive from: then it must be configured.
 */
export function runtimeLoginPassword(ownerUrl: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const ownerPassword = decodeURIComponent(new URL(ownerUrl).password);
  if (ownerPassword === '') {
    throw new Error(
      `DATABASE_URL has no password to derive the ${DatabaseRole.Runtime} login's password from: set DATABASE_APP_PASSWORD`,
    );
  }
  return createHmac('sha256', ownerPassword).update(DERIVATION_MESSAGE).digest('base64url');
}

/** The owner's URL (host, port, database, parameters) with the runtime login's user and password. */
export function runtimeLoginUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  if (url.host === '') {
    // A URL without a host cannot carry a user name (WHATWG URL); name one, e.g. for a Unix
    // socket postgresql://localhost/db?host=/var/run/postgresql.
    throw new Error('DATABASE_URL must name a host (for a Unix socket: postgresql://localhost/db?host=/socket/dir)');
  }
  url.username = DatabaseRole.Runtime;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * `password` as the SCRAM-SHA-256 verifier PostgreSQL stores (RFC 5802/7677, the format of
 * PostgreSQL's own scram_build_secret). Sending the verifier rather than the password keeps the
 * password itself out of the server's statement log and pg_stat_statements. Computed over the
 * password's UTF-8 bytes, as node-postgres does when it logs in (no SASLprep; DATABASE_APP_PASSWORD
 * is printable ASCII, for which SASLprep changes nothing).
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

interface LoginPrivileges {
  login: string;
  superuser: boolean;
  createrole: boolean;
  can_become: string[];
}

/**
 * Logs in as the runtime role and stops boot unless it is what the grants assume: `creditgate_app`,
 * not a superuser, unable to create roles (which before PostgreSQL 16 could grant itself any
 * non-superuser role), and a member, directly or through other roles, of no superuser, no
 * superuser-equivalent role, and neither the owner of the schema nor of the database. Any of those
 * would let one `SET ROLE` undo every grant.
 */
export async function assertRuntimeLoginIsUnprivileged(runtimeUrl: string): Promise<void> {
  const client = new Client({ connectionString: runtimeUrl, application_name: 'creditgate-boot' });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `${DatabaseRole.Runtime} cannot log in (${error instanceof Error ? error.message : String(error)}): ` +
        `the backend sets its password at boot; pg_hba.conf must let it connect like the DATABASE_URL user`,
      { cause: error },
    );
  }
  try {
    const { rows } = await client.query<LoginPrivileges>(
      `SELECT session_user::text AS login,
              current_setting('is_superuser') = 'on' AS superuser,
              r.rolcreaterole AS createrole,
              ARRAY(
                SELECT g.rolname::text FROM pg_roles g
                 WHERE (g.rolsuper
                        OR g.rolname = ANY ($1::text[])
                        OR g.oid = (SELECT c.relowner FROM pg_class c WHERE c.oid = 'public.users'::regclass)
                        OR g.oid = (SELECT d.datdba FROM pg_database d WHERE d.datname = current_database()))
                   AND pg_has_role(session_user, g.oid, 'MEMBER')
                 ORDER BY 1) AS can_become
         FROM pg_roles r WHERE r.rolname = session_user`,
      [SUPERUSER_EQUIVALENT_ROLES],
    );
    const privileges = rows[0];
    if (!privileges) throw new Error(`${DatabaseRole.Runtime}'s role could not be read`);
    const problems = [
      ...(privileges.login === DatabaseRole.Runtime ? [] : [`the session logged in as ${privileges.login}`]),
      ...(privileges.superuser ? ['it is a superuser'] : []),
      ...(privileges.createrole ? ['it has CREATEROLE'] : []),
      ...(privileges.can_become.length > 0 ? [`it can become ${privileges.can_become.join(', ')}`] : []),
    ];
    if (problems.length > 0) {
      throw new Error(
        `Refusing to start: the runtime login ${DatabaseRole.Runtime} must not be able to undo its grants, but ` +
          `${problems.join('; ')}. Revoke that (e.g. REVOKE <role> FROM ${DatabaseRole.Runtime}; ` +
          `ALTER ROLE ${DatabaseRole.Runtime} NOSUPERUSER NOCREATEROLE) and start again.`,
      );
    }
  } finally {
    await client.end();
  }
}
