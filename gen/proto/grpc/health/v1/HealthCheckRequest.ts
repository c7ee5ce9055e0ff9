// Original file: proto/grpc/health/v1/health.proto


export interface HealthCheckRequestInit {
  'service'?: (string);
}

export interface HealthCheckRequest {
  'service': (string);
}
