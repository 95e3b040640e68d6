// The floor a Node gateway meets on this machine: no framework, no SDK, no logging, no metrics — just
// `node:http`, the JWT check, the same three prepared SQL calls a billed chat makes (user read,
// reserve_credits_checked, settle_hold_logged) and `undici.request` to the same instant upstream.
// It is not the product (no validation, no error contract, no release path); `npm run bench` drives it
// with the same loads as the gateway, so each run shows how far the gateway is from what this machine
// allows any Node process making these calls (docs/benchmarks.md).
//
// Run as a child process: node bench/bare-gateway.mjs <port> <database url> <upstream url>, with
// JWT_SECRET in the environment.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { Agent, request } from 'undici';

const [port, databaseUrl, upstreamUrl] = process.argv.slice(2);
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? ''));
// The backend's pool size and runtime role.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, options: '-c role=creditgate_app' });
const upstream = new Agent();

const firstRow = async (name, text, values) => (await pool.query({ name, text, values })).rows[0];

async function chat(authorization, body) {
  const { prompt, maxTokens } = JSON.parse(body);
  const claims = jwt.verify(authorization.replace(/^Bearer /, ''), key, {
    algorithms: ['HS256'],
    issuer: 'creditgate',
    audience: 'creditgate-api',
  });
  const user = await firstRow('user-access', 'SELECT id, role, disabled FROM users WHERE id = $1::uuid', [claims.sub]);
  const { hold_id: holdId } = await firstRow(
    'reserve',
    'SELECT hold_id, available FROM reserve_credits_checked($1::uuid, $2::bigint, $3::integer, $4::uuid)',
    [user.id, 2, 60_000, null],
  );
  const answer = await request(`${upstreamUrl}/chat/completions`, {
    dispatcher: upstream,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: maxTokens,
    }),
  });
  const completion = await answer.body.json();
  const settled = await firstRow(
    'settle',
    `SELECT usage_id, charged, available
       FROM settle_hold_logged($1::uuid, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text,
                               $8::integer, $9::integer, $10::integer, $11::integer, $12::text)`,
    [holdId, 2, 'chat', 'bare', 'chat', 'deepseek-chat', 'success', 12, 4, 1, prompt.length, prompt],
  );
  return {
    id: settled.usage_id,
    answer: completion.choices[0].message.content,
    creditsCharged: Number(settled.charged),
    balance: Number(settled.available),
  };
}

createServer((incoming, response) => {
  let body = '';
  incoming.on('data', (chunk) => (body += chunk));
  incoming.on('end', () => {
    chat(incoming.headers.authorization ?? '', body).then(
      (result) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result)),
      () => response.writeHead(500).end(),
    );
  });
}).listen(Number(port), '127.0.0.1', () => process.send?.('listening'));
