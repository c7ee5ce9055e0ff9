import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchContextInit as _cadence_v1_BatchContextInit, BatchContext as _cadence_v1_BatchContext } from './cadence/v1/BatchContext';
import type { EventInit as _cadence_v1_EventInit, Event as _cadence_v1_Event } from './cadence/v1/Event';
import type { EventBatchInit as _cadence_v1_EventBatchInit, EventBatch as _cadence_v1_EventBatch } from './cadence/v1/EventBatch';
import type { ScreenInit as _cadence_v1_ScreenInit, Screen as _cadence_v1_Screen } from './cadence/v1/Screen';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      BatchContext: MessageTypeDefinition<_cadence_v1_BatchContextInit, _cadence_v1_BatchContext>
      Event: MessageTypeDefinition<_cadence_v1_EventInit, _cadence_v1_Event>
      EventBatch: MessageTypeDefinition<_cadence_v1_EventBatchInit, _cadence_v1_EventBatch>
      EventType: EnumTypeDefinition
      KeyClass: EnumTypeDefinition
      Screen: MessageTypeDefinition<_cadence_v1_ScreenInit, _cadence_v1_Screen>
    }
  }
}

