// Original file: proto/cadence/v1/ingest.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { IngestBatchRequestInit as _cadence_v1_IngestBatchRequestInit, IngestBatchRequest as _cadence_v1_IngestBatchRequest } from '../../cadence/v1/IngestBatchRequest';
import type { IngestBatchResponseInit as _cadence_v1_IngestBatchResponseInit, IngestBatchResponse as _cadence_v1_IngestBatchResponse } from '../../cadence/v1/IngestBatchResponse';
import type { IngestBatchesRequestInit as _cadence_v1_IngestBatchesRequestInit, IngestBatchesRequest as _cadence_v1_IngestBatchesRequest } from '../../cadence/v1/IngestBatchesRequest';
import type { IngestBatchesResponseInit as _cadence_v1_IngestBatchesResponseInit, IngestBatchesResponse as _cadence_v1_IngestBatchesResponse } from '../../cadence/v1/IngestBatchesResponse';

export interface IngestServiceClient extends grpc.Client {
  /**
   * Stores one batch and scores it. Sending the same batch id again stores nothing new.
   */
  IngestBatch(argument: _cadence_v1_IngestBatchRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  IngestBatch(argument: _cadence_v1_IngestBatchRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  IngestBatch(argument: _cadence_v1_IngestBatchRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  IngestBatch(argument: _cadence_v1_IngestBatchRequestInit, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  /**
   * Stores one batch and scores it. Sending the same batch id again stores nothing new.
   */
  ingestBatch(argument: _cadence_v1_IngestBatchRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  ingestBatch(argument: _cadence_v1_IngestBatchRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  ingestBatch(argument: _cadence_v1_IngestBatchRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  ingestBatch(argument: _cadence_v1_IngestBatchRequestInit, callback: grpc.requestCallback<_cadence_v1_IngestBatchResponse>): grpc.ClientUnaryCall;
  
  /**
   * Stores several batches, each as IngestBatch would, and answers for each.
   */
  IngestBatches(argument: _cadence_v1_IngestBatchesRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  IngestBatches(argument: _cadence_v1_IngestBatchesRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  IngestBatches(argument: _cadence_v1_IngestBatchesRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  IngestBatches(argument: _cadence_v1_IngestBatchesRequestInit, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  /**
   * Stores several batches, each as IngestBatch would, and answers for each.
   */
  ingestBatches(argument: _cadence_v1_IngestBatchesRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  ingestBatches(argument: _cadence_v1_IngestBatchesRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  ingestBatches(argument: _cadence_v1_IngestBatchesRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  ingestBatches(argument: _cadence_v1_IngestBatchesRequestInit, callback: grpc.requestCallback<_cadence_v1_IngestBatchesResponse>): grpc.ClientUnaryCall;
  
}

export interface IngestServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stores one batch and scores it. Sending the same batch id again stores nothing new.
   */
  IngestBatch: grpc.handleUnaryCall<_cadence_v1_IngestBatchRequest, _cadence_v1_IngestBatchResponseInit>;
  
  /**
   * Stores several batches, each as IngestBatch would, and answers for each.
   */
  IngestBatches: grpc.handleUnaryCall<_cadence_v1_IngestBatchesRequest, _cadence_v1_IngestBatchesResponseInit>;
  
}

export interface IngestServiceDefinition extends grpc.ServiceDefinition {
  IngestBatch: MethodDefinition<_cadence_v1_IngestBatchRequestInit, _cadence_v1_IngestBatchResponseInit, _cadence_v1_IngestBatchRequest, _cadence_v1_IngestBatchResponse>
  IngestBatches: MethodDefinition<_cadence_v1_IngestBatchesRequestInit, _cadence_v1_IngestBatchesResponseInit, _cadence_v1_IngestBatchesRequest, _cadence_v1_IngestBatchesResponse>
}
