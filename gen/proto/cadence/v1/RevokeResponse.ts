// Original file: proto/cadence/v1/identity.proto


export interface RevokeResponseInit {
}

export interface RevokeResponse {
}
