#!/usr/bin/env python3
"""A Python grpcio client that knows nothing but the core's address: it reads every service's
descriptors by server reflection (grpc.reflection.v1, messages generated at run time by protoc
from @grpc/reflection's reflection.proto), builds them into a fresh descriptor pool (which refuses
an invalid file, e.g. a map entry not named XxxEntry), then calls with dynamic messages and reads
google.rpc.BadRequest from grpc-status-details-bin.

usage: reflect.py HOST:PORT REFLECTION_PROTO_DIR ADMIN_KEY   -> one JSON object on stdout
"""
import importlib.util
import json
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def message_class(pool, descriptor):
    # protobuf >= 4.22 has GetMessageClass; Debian 12 ships 4.21, which has only the factory.
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def main() -> int:
    address, reflection_dir, admin_key = sys.argv[1:4]
    out = tempfile.mkdtemp(prefix="cadence-reflect-")
    subprocess.run(["protoc", f"-I{reflection_dir}", f"--python_out={out}", "grpc/reflection/v1/reflection.proto"], check=True)
    spec = importlib.util.spec_from_file_location("reflection_pb2", f"{out}/grpc/reflection/v1/reflection_pb2.py")
    reflection = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reflection)

    result = {}
    with grpc.insecure_channel(address) as channel:
        info = channel.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection.ServerReflectionResponse.FromString,
        )
        [listed] = list(info(iter([reflection.ServerReflectionRequest(list_services="")]), timeout=20))
        services = sorted(s.name for s in listed.list_services_response.service if not s.name.startswith("grpc.reflection"))
        result["services"] = services
        # The services' files, and the error detail types (as a client resolves an Any's type_url).
        symbols = services + ["google.rpc.Status", "google.rpc.BadRequest"]
        requests = [reflection.ServerReflectionRequest(file_containing_symbol=s) for s in symbols]
        files = {}
        for answer in info(iter(requests), timeout=20):
            for raw in answer.file_descriptor_response.file_descriptor_proto:
                fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
                files[fdp.name] = fdp
        result["files"] = sorted(files)

        # A fresh pool, files added dependencies first: the pool refuses any invalid file.
        pool = descriptor_pool.DescriptorPool()
        added = set()

        def add(name):
            if name in added:
                return
            for dep in files[name].dependency:
                add(dep)
            pool.Add(files[name])
            added.add(name)

        for name in files:
            add(name)
        stats_method = pool.FindServiceByName("cadence.v1.AdminService").FindMethodByName("GetStats")
        result["map_entry"] = pool.FindMessageTypeByName("cadence.v1.GetStatsResponse").fields_by_name["decisions"].message_type.name

        def unary(method, request_json, metadata=()):
            request_class = message_class(pool, method.input_type)
            response_class = message_class(pool, method.output_type)
            rpc = channel.unary_unary(f"/{method.containing_service.full_name}/{method.name}",
                                      request_serializer=request_class.SerializeToString,
                                      response_deserializer=response_class.FromString)
            return rpc(json_format.ParseDict(request_json, request_class()), timeout=20, metadata=metadata)

        stats = unary(stats_method, {"since_ms": "0"}, (("x-api-key", admin_key),))
        result["stats"] = json_format.MessageToDict(stats)
        register = pool.FindServiceByName("cadence.v1.IdentityService").FindMethodByName("Register")
        try:
            unary(register, {"password": "x", "mpin": "2468"})
            result["refusal"] = None
        except grpc.RpcError as err:
            status_class = message_class(pool, pool.FindMessageTypeByName("google.rpc.Status"))
            bad_request_class = message_class(pool, pool.FindMessageTypeByName("google.rpc.BadRequest"))
            trailers = dict(err.trailing_metadata() or ())
            status = status_class.FromString(trailers["grpc-status-details-bin"])
            violations = []
            for detail in status.details:
                if detail.type_url.endswith("/google.rpc.BadRequest"):
                    violations += [{"field": v.field, "description": v.description} for v in bad_request_class.FromString(detail.value).field_violations]
            result["refusal"] = {"code": err.code().name, "violations": violations}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
