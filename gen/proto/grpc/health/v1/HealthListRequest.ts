// Original file: proto/grpc/health/v1/health.proto


export interface HealthListRequestInit {
}

export interface HealthListRequest {
}
