// The risk, model and admin services through client/'s generated typed clients (gRPC on the native
// port), with proto3 JSON requests and plain answers (test/helpers/typed-core.ts).
import { AdminService, ModelService, RiskService } from '../../client/index.ts';
import { grpcTransport, serverStream, unary, type CallOptions } from './typed-core.ts';

export function coreClients(address: string, apiKey?: string) {
  const { transport, untimed, close } = grpcTransport(address, 30_000);
  const headers = (key: string | undefined): Record<string, string> => (key ? { 'x-api-key': key } : {});
  // `key` overrides the clients' key for one call; null sends none.
  const call = (service: typeof RiskService | typeof ModelService | typeof AdminService, method: string) => {
    const f = unary(transport, service, method);
    return (req: unknown, key?: string | null): Promise<any> => f(req, { headers: headers(key === null ? undefined : (key ?? apiKey)) });
  };
  const stream = serverStream(untimed, RiskService, 'streamDecisions');
  return {
    scoreSession: call(RiskService, 'scoreSession'),
    getSessionRisk: call(RiskService, 'getSessionRisk'),
    predictSession: call(RiskService, 'predictSession'),
    predictSessions: call(RiskService, 'predictSessions'),
    /** DecisionEvents as they come, until `options.signal` aborts (no deadline: a stream stays open). */
    streamDecisions: (req: unknown, options: CallOptions & { key?: string | null } = {}) =>
      stream(req, { ...options, headers: headers(options.key === null ? undefined : (options.key ?? apiKey)) }),
    train: call(ModelService, 'train'),
    retrain: call(ModelService, 'retrain'),
    listModels: call(ModelService, 'listModels'),
    getModel: call(ModelService, 'getModel'),
    activate: call(ModelService, 'activate'),
    rollback: call(ModelService, 'rollback'),
    listSessions: call(AdminService, 'listSessions'),
    getSessionDetail: call(AdminService, 'getSessionDetail'),
    getStats: call(AdminService, 'getStats'),
    exportUserData: call(AdminService, 'exportUserData'),
    deleteUserData: call(AdminService, 'deleteUserData'),
    unlockAccount: call(AdminService, 'unlockAccount'),
    clearSessionStanding: call(AdminService, 'clearSessionStanding'),
    labelSession: call(AdminService, 'labelSession'),
    getSessionLabels: call(AdminService, 'getSessionLabels'),
    exportSession: call(AdminService, 'exportSession'),
    close,
  };
}

/** Polls `fn` until it returns something truthy (or fails after `ms`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 30_000, every = 100): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}
