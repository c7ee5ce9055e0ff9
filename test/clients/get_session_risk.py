#!/usr/bin/env python3
"""Calls RiskService.GetSessionRisk over native gRPC with nothing but proto/: the messages are
generated here, at run time, by protoc (Debian: protobuf-compiler python3-protobuf python3-grpcio).

usage: get_session_risk.py HOST:PORT SESSION_ID   -> prints the response as JSON
(the service key, when the core requires one, in the environment: CADENCE_API_KEY)
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import json_format

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def main() -> int:
    address, session_id = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp(prefix="cadence-py-")
    files = ["cadence/v1/events.proto", "cadence/v1/risk.proto"]
    subprocess.run(["protoc", f"-I{PROTO_DIR}", f"--python_out={out}", *files], check=True)
    sys.path.insert(0, out)
    risk_pb2 = importlib.import_module("cadence.v1.risk_pb2")
    with grpc.insecure_channel(address) as channel:
        get_session_risk = channel.unary_unary(
            "/cadence.v1.RiskService/GetSessionRisk",
            request_serializer=risk_pb2.GetSessionRiskRequest.SerializeToString,
            response_deserializer=risk_pb2.GetSessionRiskResponse.FromString,
        )
        try:
            key = os.environ.get("CADENCE_API_KEY")
            metadata = [("x-api-key", key)] if key else None
            reply = get_session_risk(risk_pb2.GetSessionRiskRequest(session_id=session_id), timeout=10, metadata=metadata)
        except grpc.RpcError as err:
            print(json.dumps({"error": err.code().name, "details": err.details()}))
            return 1
    print(json_format.MessageToJson(reply, preserving_proto_field_name=True, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
