import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { requestFetch } from '#src/ai/providers/undici-fetch.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('requestFetch', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  const agent = new Agent();
  const fetchOnRequest = requestFetch(agent);

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        handler(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body, and answers status, headers and body as fetch would', async () => {
    let seen: { method?: string; authorization?: string; body?: string } = {};
    handler = (request, body, response) => {
      seen = { method: request.method, authorization: request.headers.authorization, body };
      response.setHeader('Set-Cookie', ['a=1', 'b=2']);
      response.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-Id': 'up-1' }).end('{"ok":true}');
    };

    const response = await fetchOnRequest(`${base}/chat/completions`, {
      method: 'POST',
      headers: new Headers({ Authorization: 'Bearer sk-test', 'Content-Type': 'application/json' }),
      body: '{"model":"m"}',
    });

    expect(seen).toEqual({ method: 'POST', authorization: 'Bearer sk-test', body: '{"model":"m"}' });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('up-1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers a 204 with no body, and reuses the connection for the next call', async () => {
    const clientPorts: (number | undefined)[] = [];
    handler = (request, _body, response) => {
      clientPorts.push(request.socket.remotePort);
      if (clientPorts.length === 1) response.writeHead(204).end();
      else response.end('again');
    };

    // One connection: the next call can only go out once the 204's connection is free again.
    const single = new Agent({ connections: 1 });
    const fetchOnOne = requestFetch(single);

    const empty = await fetchOnOne(`${base}/empty`);
    const next = await fetchOnOne(`${base}/next`);

    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(await next.text()).toBe('again');
    expect(clientPorts[1]).toBe(clientPorts[0]);
    await single.close();
  });

  it('rejects with the signal’s reason, as fetch does, when it fires before the response headers', async () => {
    handler = () => undefined; // never answers

    const call = fetchOnRequest(`${base}/hang`, { signal: AbortSignal.timeout(100) });

    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('fails the body read when the signal fires after the headers, mid-body', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: first\n\n'); // then stalls
    };
    const controller = new AbortController();

    const response = await fetchOnRequest(`${base}/stall`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    controller.abort();

    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a body that is not a string instead of sending something else', async () => {
    await expect(fetchOnRequest(`${base}/x`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(
      'requestFetch sends string bodies only',
    );
  });
});
