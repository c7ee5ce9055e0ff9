import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from './cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from './cadence/v1/GetSessionRiskResponse';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from './cadence/v1/RiskAssessment';
import type { RiskServiceClient as _cadence_v1_RiskServiceClient, RiskServiceDefinition as _cadence_v1_RiskServiceDefinition } from './cadence/v1/RiskService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      Decision: EnumTypeDefinition
      GetSessionRiskRequest: MessageTypeDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskRequest>
      GetSessionRiskResponse: MessageTypeDefinition<_cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskResponse>
      RiskAssessment: MessageTypeDefinition<_cadence_v1_RiskAssessmentInit, _cadence_v1_RiskAssessment>
      RiskService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_RiskServiceClient> & { service: _cadence_v1_RiskServiceDefinition }
    }
  }
}

