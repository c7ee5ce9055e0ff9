import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { HealthClient as _grpc_health_v1_HealthClient, HealthDefinition as _grpc_health_v1_HealthDefinition } from './grpc/health/v1/Health';
import type { HealthCheckRequestInit as _grpc_health_v1_HealthCheckRequestInit, HealthCheckRequest as _grpc_health_v1_HealthCheckRequest } from './grpc/health/v1/HealthCheckRequest';
import type { HealthCheckResponseInit as _grpc_health_v1_HealthCheckResponseInit, HealthCheckResponse as _grpc_health_v1_HealthCheckResponse } from './grpc/health/v1/HealthCheckResponse';
import type { HealthListRequestInit as _grpc_health_v1_HealthListRequestInit, HealthListRequest as _grpc_health_v1_HealthListRequest } from './grpc/health/v1/HealthListRequest';
import type { HealthListResponseInit as _grpc_health_v1_HealthListResponseInit, HealthListResponse as _grpc_health_v1_HealthListResponse } from './grpc/health/v1/HealthListResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  grpc: {
    health: {
      v1: {
        /**
         * Health is gRPC's mechanism for checking whether a server is able to handle
         * RPCs. Its semantics are documented in
         * https://github.com/grpc/grpc/blob/master/doc/health-checking.md.
         */
        Health: SubtypeConstructor<typeof grpc.Client, _grpc_health_v1_HealthClient> & { service: _grpc_health_v1_HealthDefinition }
        HealthCheckRequest: MessageTypeDefinition<_grpc_health_v1_HealthCheckRequestInit, _grpc_health_v1_HealthCheckRequest>
        HealthCheckResponse: MessageTypeDefinition<_grpc_health_v1_HealthCheckResponseInit, _grpc_health_v1_HealthCheckResponse>
        HealthListRequest: MessageTypeDefinition<_grpc_health_v1_HealthListRequestInit, _grpc_health_v1_HealthListRequest>
        HealthListResponse: MessageTypeDefinition<_grpc_health_v1_HealthListResponseInit, _grpc_health_v1_HealthListResponse>
      }
    }
  }
}

