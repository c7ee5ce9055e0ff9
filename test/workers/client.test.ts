// client/ inside workerd, as a Worker would call the core: connect-web over the runtime's fetch
// (through workersFetch: workerd refuses connect-web's `redirect: "error"`), Connect and gRPC-Web,
// against the real core of test/setup/core.ts.
import { ConnectError, Code } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import { describe, expect, inject, it } from 'vitest';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { createCadenceClients, workersFetch } from '../../client/index.ts';

const coreUrl = inject('coreUrl');

describe.each([
  { name: 'Connect binary', transport: () => createConnectTransport({ baseUrl: coreUrl, fetch: workersFetch, useBinaryFormat: true }) },
  { name: 'gRPC-Web', transport: () => createGrpcWebTransport({ baseUrl: coreUrl, fetch: workersFetch }) },
])('createCadenceClients in workerd over $name', ({ transport }) => {
  it('registers, signs in, and reads a refusal with its field', async () => {
    const cadence = createCadenceClients({ transport: transport() });
    expect((await cadence.health.check({})).status).toBe(1); // SERVING
    const email = `workerd-${crypto.randomUUID()}@example.com`;
    const { userId } = await cadence.identity.register({ email, password: 'correct horse battery', mpin: '2468' });
    const login = await cadence.identity.login({ email, password: 'correct horse battery', deviceId: 'workerd-device' });
    expect(login.userId).toBe(userId);
    const err = await cadence.risk.getSessionRisk({ sessionId: '' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe('session_id');
  });
});
