// Original file: proto/cadence/v1/identity.proto


export interface LogoutResponseInit {
}

export interface LogoutResponse {
}
