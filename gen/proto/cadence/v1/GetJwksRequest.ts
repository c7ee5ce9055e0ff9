// Original file: proto/cadence/v1/identity.proto


export interface GetJwksRequestInit {
}

export interface GetJwksRequest {
}
