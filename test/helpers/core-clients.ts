// grpc-js clients for the risk, model and admin services, built only from proto/ (as outside callers do).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

export function coreClients(address: string, apiKey?: string) {
  const def = protoLoader.loadSync(['cadence/v1/risk.proto', 'cadence/v1/models.proto', 'cadence/v1/admin.proto'], {
    includeDirs: [protoDir], longs: String, enums: String, defaults: true, oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const creds = grpc.credentials.createInsecure();
  const risk = new pkg.cadence.v1.RiskService(address, creds);
  const models = new pkg.cadence.v1.ModelService(address, creds);
  const admin = new pkg.cadence.v1.AdminService(address, creds);
  const metadata = (key: string | undefined) => {
    const md = new grpc.Metadata();
    if (key) md.set('x-api-key', key);
    return md;
  };
  const call = (client: any, method: string) => (req: unknown, key?: string | null): Promise<any> =>
    new Promise((resolve, reject) =>
      client[method](req, metadata(key === null ? undefined : (key ?? apiKey)), { deadline: Date.now() + 30_000 }, (err: grpc.ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))),
    );
  return {
    scoreSession: call(risk, 'ScoreSession'),
    getSessionRisk: call(risk, 'GetSessionRisk'),
    predictSession: call(risk, 'PredictSession'),
    predictSessions: call(risk, 'PredictSessions'),
    streamDecisions: (req: unknown): grpc.ClientReadableStream<any> => risk.StreamDecisions(req),
    train: call(models, 'Train'),
    retrain: call(models, 'Retrain'),
    listModels: call(models, 'ListModels'),
    getModel: call(models, 'GetModel'),
    activate: call(models, 'Activate'),
    rollback: call(models, 'Rollback'),
    listSessions: call(admin, 'ListSessions'),
    getSessionDetail: call(admin, 'GetSessionDetail'),
    getStats: call(admin, 'GetStats'),
    exportUserData: call(admin, 'ExportUserData'),
    deleteUserData: call(admin, 'DeleteUserData'),
    unlockAccount: call(admin, 'UnlockAccount'),
    clearSessionStanding: call(admin, 'ClearSessionStanding'),
    labelSession: call(admin, 'LabelSession'),
    getSessionLabels: call(admin, 'GetSessionLabels'),
    exportSession: call(admin, 'ExportSession'),
    close() {
      risk.close();
      models.close();
      admin.close();
    },
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
