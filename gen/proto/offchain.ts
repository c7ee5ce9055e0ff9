import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BehaviouralFeaturesInit as _cadence_v1_BehaviouralFeaturesInit, BehaviouralFeatures as _cadence_v1_BehaviouralFeatures } from './cadence/v1/BehaviouralFeatures';
import type { FeatureImportanceInit as _cadence_v1_FeatureImportanceInit, FeatureImportance as _cadence_v1_FeatureImportance } from './cadence/v1/FeatureImportance';
import type { HistoricalPatternInit as _cadence_v1_HistoricalPatternInit, HistoricalPattern as _cadence_v1_HistoricalPattern } from './cadence/v1/HistoricalPattern';
import type { OffchainHealthRequestInit as _cadence_v1_OffchainHealthRequestInit, OffchainHealthRequest as _cadence_v1_OffchainHealthRequest } from './cadence/v1/OffchainHealthRequest';
import type { OffchainHealthResponseInit as _cadence_v1_OffchainHealthResponseInit, OffchainHealthResponse as _cadence_v1_OffchainHealthResponse } from './cadence/v1/OffchainHealthResponse';
import type { OffchainServiceClient as _cadence_v1_OffchainServiceClient, OffchainServiceDefinition as _cadence_v1_OffchainServiceDefinition } from './cadence/v1/OffchainService';
import type { PredictRequestInit as _cadence_v1_PredictRequestInit, PredictRequest as _cadence_v1_PredictRequest } from './cadence/v1/PredictRequest';
import type { PredictResponseInit as _cadence_v1_PredictResponseInit, PredictResponse as _cadence_v1_PredictResponse } from './cadence/v1/PredictResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      Baseline: EnumTypeDefinition
      BehaviouralFeatures: MessageTypeDefinition<_cadence_v1_BehaviouralFeaturesInit, _cadence_v1_BehaviouralFeatures>
      FeatureImportance: MessageTypeDefinition<_cadence_v1_FeatureImportanceInit, _cadence_v1_FeatureImportance>
      HistoricalPattern: MessageTypeDefinition<_cadence_v1_HistoricalPatternInit, _cadence_v1_HistoricalPattern>
      OffchainHealthRequest: MessageTypeDefinition<_cadence_v1_OffchainHealthRequestInit, _cadence_v1_OffchainHealthRequest>
      OffchainHealthResponse: MessageTypeDefinition<_cadence_v1_OffchainHealthResponseInit, _cadence_v1_OffchainHealthResponse>
      OffchainService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_OffchainServiceClient> & { service: _cadence_v1_OffchainServiceDefinition }
      PredictRequest: MessageTypeDefinition<_cadence_v1_PredictRequestInit, _cadence_v1_PredictRequest>
      PredictResponse: MessageTypeDefinition<_cadence_v1_PredictResponseInit, _cadence_v1_PredictResponse>
    }
  }
}

