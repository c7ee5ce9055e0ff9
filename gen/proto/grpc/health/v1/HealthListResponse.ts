// Original file: proto/grpc/health/v1/health.proto

import type { HealthCheckResponseInit as _grpc_health_v1_HealthCheckResponseInit, HealthCheckResponse as _grpc_health_v1_HealthCheckResponse } from '../../../grpc/health/v1/HealthCheckResponse';

export interface HealthListResponseInit {
  /**
   * statuses contains all the services and their respective status.
   */
  'statuses'?: ({[key: string]: _grpc_health_v1_HealthCheckResponseInit});
}

export interface HealthListResponse {
  /**
   * statuses contains all the services and their respective status.
   */
  'statuses': ({[key: string]: _grpc_health_v1_HealthCheckResponse});
}
