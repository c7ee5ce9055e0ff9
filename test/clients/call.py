#!/usr/bin/env python3
"""Calls any unary Cadence RPC over native gRPC with nothing but proto/: messages are generated at
run time by protoc (Debian: protobuf-compiler python3-protobuf python3-grpcio), methods are found
from the descriptors, requests and responses are proto3 JSON.

usage: call.py HOST:PORT < calls.jsonl
  each input line:  {"method": "cadence.v1.IdentityService/Register", "request": {...}, "metadata": {"x-api-key": "..."}}
  each output line: {"method": ..., "ok": true, "response": {...}}  or  {"method": ..., "ok": false, "code": "NOT_FOUND", "details": "..."}
"""
import glob
import importlib
import json
import os
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pool, json_format, message_factory

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def message_class(pool, descriptor):
    # protobuf >= 4.22 has GetMessageClass; Debian 12 ships 4.21, which has only the factory.
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def main() -> int:
    address = sys.argv[1]
    out = tempfile.mkdtemp(prefix="cadence-py-")
    files = sorted(os.path.relpath(p, PROTO_DIR) for p in glob.glob(os.path.join(PROTO_DIR, "cadence", "v1", "*.proto")))
    subprocess.run(["protoc", f"-I{PROTO_DIR}", f"--python_out={out}", *files], check=True)
    sys.path.insert(0, out)
    for f in files:
        importlib.import_module(f[:-len(".proto")].replace("/", ".") + "_pb2")
    pool = descriptor_pool.Default()
    with grpc.insecure_channel(address) as channel:
        for line in sys.stdin:
            if not line.strip():
                continue
            call = json.loads(line)
            service_name, method_name = call["method"].split("/")
            method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
            request_class = message_class(pool, method.input_type)
            response_class = message_class(pool, method.output_type)
            rpc = channel.unary_unary(
                f"/{service_name}/{method_name}",
                request_serializer=request_class.SerializeToString,
                response_deserializer=response_class.FromString,
            )
            result = {"method": call["method"]}
            try:
                request = json_format.ParseDict(call.get("request", {}), request_class())
                reply = rpc(request, timeout=20, metadata=list(call.get("metadata", {}).items()))
                result.update(ok=True, response=json_format.MessageToDict(reply))
            except grpc.RpcError as err:
                result.update(ok=False, code=err.code().name, details=err.details())
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
