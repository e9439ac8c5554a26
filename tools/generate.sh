#!/usr/bin/env bash
# Regenerates everything generated from the API (README, "Generated code"):
#   openapi/tenantry.json, openapi/tenantry_admin.json   written by building the server
#   src/Tenantry.Client/Generated/*.g.cs                  NSwag (dotnet tool, dotnet-tools.json)
#   clients/typescript/src/generated/*.ts                 openapi-typescript (clients/typescript/package-lock.json)
# Usage: tools/generate.sh [--no-build]   (--no-build: the server was just built, openapi/ is current)
# After merging branches that add endpoints, run it and commit what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ${1:-} != --no-build ]]; then
    dotnet build src/Tenantry.Server -c Release -v quiet -nologo
fi

dotnet tool restore >/dev/null
nswag() {
    local input=$1 output=$2 namespace=$3 class=$4 response=$5 exception=$6
    dotnet tool run nswag openapi2csclient "/input:$input" "/output:$output" "/namespace:$namespace" "/className:$class" \
        /operationGenerationMode:SingleClientFromOperationId /generateClientInterfaces:false /useBaseUrl:false \
        /injectHttpClient:true /disposeHttpClient:false /wrapResponses:true "/responseClass:$response" "/exceptionClass:$exception" \
        /generateOptionalParameters:true /jsonLibrary:SystemTextJson /generateNullableReferenceTypes:true \
        /generateOptionalPropertiesAsNullable:true /arrayType:System.Collections.Generic.List \
        /arrayInstanceType:System.Collections.Generic.List /arrayBaseType:System.Collections.Generic.List \
        /dateTimeType:System.DateTimeOffset /classStyle:Poco /generateDataAnnotations:false >/dev/null
}
nswag openapi/tenantry.json src/Tenantry.Client/Generated/TenantryApi.g.cs Tenantry.Client.Api TenantryApi ApiResponse ApiException
nswag openapi/tenantry_admin.json src/Tenantry.Client/Generated/TenantryAdminApi.g.cs Tenantry.Client.Api.Operator TenantryAdminApi ApiResponse ApiException

if [[ -d clients/typescript/node_modules ]]; then
    (cd clients/typescript && npm run --silent generate)
else
    echo "clients/typescript/node_modules is missing: run 'npm ci' in clients/typescript first" >&2
    exit 1
fi
echo "Generated code is up to date with the server."
