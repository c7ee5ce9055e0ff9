// Original file: proto/cadence/v1/offchain.proto


export interface OffchainHealthRequestInit {
}

export interface OffchainHealthRequest {
}
